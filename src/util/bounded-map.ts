/**
 * A Map that keeps at most `limit` entries, forgetting the least recently written first: `set`
 * moves an entry to the back, and `touch` does the same for a read that should count as a use.
 * For caches and per-chat bookkeeping that must not grow with every chat or statement ever seen.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.limit) super.delete(this.keys().next().value as K);
    return this;
  }

  /** `get`, counting as a use: the entry is forgotten last. */
  touch(key: K): V | undefined {
    const value = super.get(key);
    // One lookup for the common hit; `has` only settles a stored undefined.
    if (value === undefined && !super.has(key)) return undefined;
    super.delete(key);
    super.set(key, value as V);
    return value;
  }
}
