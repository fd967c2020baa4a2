/**
 * A source of random numbers in [0, 1), like Math.random. Whatever draws jitter takes one, so a
 * test can fix the draws and assert exact waits.
 */
export type Random = () => number;

export const systemRandom: Random = Math.random;
