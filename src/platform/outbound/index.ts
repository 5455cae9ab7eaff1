export { createOutboundClient, DEFAULT_RETRY_DELAY, isTransientStatus, type OutboundClientDeps, type OutboundSettings } from './outbound-client.js';
export { OutboundError, type OutboundFailureReason } from './outbound-error.js';
export { BREAKER_STATE_VALUE, type OutboundOutcome } from './outbound-metrics.js';
export { DEFAULT_BREAKER_SETTINGS, type BreakerSettings } from './target-breaker.js';
export type { ResolveHost } from './guarded-lookup.js';
export { OUTBOUND_TARGET_KINDS } from './outbound.types.js';
export type {
  BreakerState,
  BreakerStatus,
  OutboundClient,
  OutboundRequest,
  OutboundResponse,
  OutboundTarget,
  OutboundTargetKind,
} from './outbound.types.js';
export type { StreamingFetch, StreamingFetchOptions } from './streaming-fetch.js';
