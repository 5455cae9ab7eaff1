import { createHash } from 'node:crypto';

/** An alert's identity: its rule and its labels (in name order), so re-evaluating the same condition finds the same alert. */
export function alertFingerprint(rule: string, labels: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name]]);
  return createHash('sha256').update(JSON.stringify([rule, sorted])).digest('hex').slice(0, 32);
}
