/** Every request ORCA sends out (receivers, webhooks, connectors): timeouts, retries, size, reachable networks, breakers. */
import { bytes, durationUpTo, integer, ipsOrCidrs, type Setting } from '../parsers.js';

export const OUTBOUND_SETTINGS = [
  {
    env: 'OUTBOUND_TIMEOUT',
    key: 'outboundTimeoutMs',
    default: '10s',
    description: 'longest one attempt of an outbound HTTP call (alert receivers, callbacks, discovery) may take, from connecting to the end of the answer',
    parse: durationUpTo(600_000, '10m'),
  },
  {
    env: 'OUTBOUND_RETRIES',
    key: 'outboundRetries',
    default: '2',
    description: 'retries after the first attempt of an outbound call, on network errors, timeouts, 5xx, 408 and 429 (jittered exponential backoff honouring Retry-After); calls made by jobs retry through the job queue instead',
    parse: integer(0, 10),
  },
  { env: 'OUTBOUND_MAX_RESPONSE_BYTES', key: 'outboundMaxResponseBytes', default: '1MiB', description: 'largest answer body an outbound call reads; a larger one fails the call (too_large)', parse: bytes },
  {
    env: 'OUTBOUND_ALLOW_CIDRS',
    key: 'outboundAllowCidrs',
    default: '',
    description:
      'comma-separated IPs and CIDR ranges (v4/v6) that outbound calls may reach although the SSRF guard refuses them (loopback, private, link-local, unique-local, CGNAT, multicast), e.g. 127.0.0.0/8 for a receiver on the same host',
    parse: ipsOrCidrs,
  },
  {
    env: 'OUTBOUND_BREAKER_OPEN_DURATION',
    key: 'outboundBreakerOpenMs',
    default: '60s',
    description: "how long an outbound target's circuit breaker stays open (calls fail at once, nothing is sent) after 5 consecutive failures, before it is probed",
    parse: durationUpTo(86_400_000, '1d'),
  },
] as const satisfies readonly Setting[];
