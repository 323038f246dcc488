import type { ChangelogWriter } from '../ChangelogWriter.js';
import type { RestorableStateStore } from '../RestorableStateStore.js';
import type { StateStoreContext } from '../StateStoreContext.js';
import { changelogTopicOf } from './changelogTopicOf.js';
import { WrappedStateStore } from './WrappedStateStore.js';

/**
 * The part every change-logging layer shares: at `init` it takes the changelog topic (failing loudly when the
 * task gave none), partition and writer from the context, and `logChange` sends one changelog record stamped
 * with the current record's timestamp.
 */
export abstract class ChangelogSender<W extends RestorableStateStore> extends WrappedStateStore<W> {
  private context: StateStoreContext | undefined;
  private writer: ChangelogWriter | undefined;
  private topic = '';
  private partition = 0;

  override init(context: StateStoreContext): void {
    this.topic = changelogTopicOf(this.name, context);
    this.partition = context.changelogPartition;
    this.writer = context.changelogWriter;
    this.context = context;
    this.wrapped.init(context);
  }

  protected logChange(key: Buffer, value: Buffer | null): void {
    // init() set both; a store used before init already failed in the wrapped store.
    this.writer!.send(this.topic, this.partition, key, value, this.context!.currentTimestamp());
  }
}
