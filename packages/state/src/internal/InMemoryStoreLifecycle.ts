import { InvalidStateStoreError } from '../InvalidStateStoreError.js';
import type { StateStoreContext } from '../StateStoreContext.js';

/**
 * The lifecycle every in-memory store shares: not persistent, nothing to flush, open from `init` to `close`
 * (which drops the content), and `check()` failing with InvalidStateStoreError before init and after close.
 */
export abstract class InMemoryStoreLifecycle {
  readonly persistent = false;
  private state: 'created' | 'open' | 'closed' = 'created';

  abstract readonly name: string;

  /** Drops the content (at close). */
  protected abstract clear(): void;

  init(_context: StateStoreContext): void {
    this.state = 'open';
  }

  isOpen(): boolean {
    return this.state === 'open';
  }

  flush(): void {
    // nothing buffered
  }

  close(): void {
    this.clear();
    this.state = 'closed';
  }

  protected check(): void {
    if (this.state !== 'open') {
      throw this.state === 'created'
        ? InvalidStateStoreError.notInitialised(this.name)
        : InvalidStateStoreError.closed(this.name);
    }
  }
}
