import { createHash } from 'node:crypto';

/**
 * A seeded pseudo-random generator (mulberry32): the demo draws every choice from it so that one seed always
 * produces the same organisation, the same events and the same gaps. Not for secrets — those come from node:crypto.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A money amount with cents, in [min, max]. */
  amount(min: number, max: number): number {
    return Math.round((min + this.next() * (max - min)) * 100) / 100;
  }
}

/**
 * A stable identifier derived from the seed, the run number and a label: the same inputs always give the same id
 * (so a second delivery of it is an idempotent repeat), different runs never collide.
 */
export function stableId(seed: number, run: number, label: string, length = 24): string {
  return createHash('sha256').update(`orca-demo:${seed}:${run}:${label}`).digest('hex').slice(0, length);
}

/** A UUID-shaped stable identifier (Dataverse and Oracle ids look like this). */
export function stableUuid(seed: number, run: number, label: string): string {
  const hex = stableId(seed, run, label, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
