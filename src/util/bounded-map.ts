/**
 * A Map that keeps at most `limit` entries, forgetting the least recently written first: `set`
 * moves an entry to the back, and `touch` does the same for a read that should count as a use.
 * For caches and per-chat bookkeeping that must not grow with every chat or statement ever seen.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  /**
   * The key used or written last, already at the back: touching it again moves nothing (a
   * process serving one clinic touches the same version on every message).
   */
  #newest: { key: K } | null = null;

  constructor(readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.limit) super.delete(this.keys().next().value as K);
    this.#newest = { key };
    return this;
  }

  override delete(key: K): boolean {
    if (this.#newest && this.#newest.key === key) this.#newest = null;
    return super.delete(key);
  }

  override clear(): void {
    this.#newest = null;
    super.clear();
  }

  /** `get`, counting as a use: the entry is forgotten last. */
  touch(key: K): V | undefined {
    const value = super.get(key);
    // One lookup for the common hit; `has` only settles a stored undefined.
    if (value === undefined && !super.has(key)) return undefined;
    if (this.#newest !== null && this.#newest.key === key) return value;
    super.delete(key);
    super.set(key, value as V);
    this.#newest = { key };
    return value;
  }
}
