/** A short status word with a colour; the word carries the meaning, the colour only repeats it. */
const TONES: Record<string, 'good' | 'warn' | 'bad' | 'neutral' | 'info'> = {
  active: 'good',
  excellent: 'good',
  good: 'good',
  within_slo: 'good',
  delivered: 'good',
  resolved: 'good',
  success: 'good',
  fair: 'warn',
  suspended: 'warn',
  pending: 'warn',
  failed: 'warn',
  medium: 'warn',
  warning: 'warn',
  stale: 'bad',
  critical: 'bad',
  high: 'bad',
  quarantined: 'bad',
  firing: 'bad',
  open: 'bad',
  dead_lettered: 'bad',
  deny: 'bad',
  no_data: 'neutral',
  not_configured: 'neutral',
  retired: 'neutral',
  expired: 'neutral',
  low: 'info',
  info: 'info',
};

export function Badge({ value, label }: { value: string; label?: string }) {
  return <span class={`badge badge-${TONES[value] ?? 'neutral'}`}>{label ?? value.replace(/_/g, ' ')}</span>;
}
