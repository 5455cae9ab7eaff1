/**
 * An organisation's own prompt-injection classifier, named by the policy (`prompt_injection.detector.external`):
 * POST `{ "content", "content_origin" }` to its URL, answer `{ "score": 0…1, "signals": ["…"] }`. Called through the
 * outbound client (SSRF guard, timeout, one circuit breaker per URL), without retries: evaluation is in an agent's
 * hot path. Any failure — refused, timed out, breaker open, non-2xx, an answer without a score — returns undefined and
 * the built-in detector's result stands; the violation then says so (signal `external.unavailable`).
 */
import type { OutboundClient } from '../../platform/outbound/index.js';
import type { InjectionDetectorSettings } from './compile-policy.js';
import type { ContentOrigin } from './injection/detect.js';

const MAX_SIGNALS = 8;

export interface ClassifierVerdict {
  score: number;
  signals: string[];
}

export type InjectionClassifier = (
  external: NonNullable<InjectionDetectorSettings['external']>,
  content: string,
  origin: ContentOrigin | undefined,
  correlationId: string | null,
) => Promise<ClassifierVerdict | undefined>;

export function createInjectionClassifier(outbound: Pick<OutboundClient, 'request'>): InjectionClassifier {
  return async (external, content, origin, correlationId) => {
    let body: string;
    try {
      const response = await outbound.request(
        { kind: 'classifier', id: external.url },
        {
          url: external.url,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ content, content_origin: origin ?? 'user' }),
          timeoutMs: external.timeoutMs,
          retries: 0,
          ...(correlationId ? { correlationId } : {}),
        },
      );
      if (response.status < 200 || response.status >= 300) return undefined;
      body = response.body;
    } catch {
      return undefined;
    }
    return parseVerdict(body);
  };
}

/** `{ score, signals? }` with a score in [0, 1]; signals kept as short strings, at most MAX_SIGNALS. */
export function parseVerdict(body: string): ClassifierVerdict | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { score, signals } = parsed as { score?: unknown; signals?: unknown };
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 1) return undefined;
  const names = Array.isArray(signals) ? signals.filter((signal): signal is string => typeof signal === 'string').slice(0, MAX_SIGNALS) : [];
  return { score: Math.round(score * 1000) / 1000, signals: names.map((name) => `external:${name.slice(0, 64)}`) };
}
