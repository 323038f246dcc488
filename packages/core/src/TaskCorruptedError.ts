import { StreamsError } from './StreamsError.js';

/** A task's local state cannot be trusted: wipe that task's stores and restore them from the changelog. */
export class TaskCorruptedError extends StreamsError {}
