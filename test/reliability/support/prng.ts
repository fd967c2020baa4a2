// A small seeded PRNG (mulberry32): the same seed gives the same run, so a failure can be replayed.
export interface Rng {
  readonly seed: number;
  /** [0, 1) */
  next(): number;
  int(min: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return { seed, next, int, pick: (items) => items[int(0, items.length - 1)]!, chance: (p) => next() < p };
}

/** RELIABILITY_SEED replays a run; otherwise a fresh seed (printed by the test). */
export function seedFromEnv(): number {
  const given = process.env.RELIABILITY_SEED;
  return given ? Number(given) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
}
