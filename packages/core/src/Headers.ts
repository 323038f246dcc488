/** One Kafka record header. A header value may be null. */
export interface Header {
  readonly key: string;
  readonly value: Buffer | null;
}

const NO_ENTRIES: Header[] = [];

/**
 * Ordered, multi-valued record headers, as in Kafka. Mutable, like Kafka Streams' `Headers`: a processor
 * that wants to change headers of a record it forwards should `copy()` first.
 */
export class Headers implements Iterable<Header> {
  /** `NO_ENTRIES` (shared, never written) until the first `add`: most records have no headers. */
  private entries: Header[];

  constructor(entries?: Iterable<Header>) {
    this.entries = entries === undefined ? NO_ENTRIES : Array.from(entries);
  }

  static from(init: Record<string, string | Buffer | null> | Iterable<Header> | undefined): Headers {
    if (init === undefined) return new Headers();
    if (Symbol.iterator in init) return new Headers(init as Iterable<Header>);
    const headers = new Headers();
    for (const [key, value] of Object.entries(init)) headers.add(key, value);
    return headers;
  }

  add(key: string, value: string | Buffer | null): this {
    if (this.entries === NO_ENTRIES) this.entries = [];
    this.entries.push({ key, value: typeof value === 'string' ? Buffer.from(value) : value });
    return this;
  }

  remove(key: string): this {
    for (let i = this.entries.length - 1; i >= 0; i--)
      if (this.entries[i]!.key === key) this.entries.splice(i, 1);
    return this;
  }

  lastHeader(key: string): Header | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--)
      if (this.entries[i]!.key === key) return this.entries[i];
    return undefined;
  }

  headers(key: string): Header[] {
    return this.entries.filter((h) => h.key === key);
  }

  get size(): number {
    return this.entries.length;
  }

  toArray(): Header[] {
    return [...this.entries];
  }

  copy(): Headers {
    return this.entries === NO_ENTRIES ? new Headers() : new Headers(this.entries);
  }

  [Symbol.iterator](): Iterator<Header> {
    return this.entries[Symbol.iterator]();
  }
}
