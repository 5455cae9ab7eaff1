const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "500ms", "30s", "15m", "6h", "30d" (or a bare number of milliseconds). Returns undefined when invalid. */
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(raw.trim());
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1);
}
