import { StreamsError } from './StreamsError.js';

/** An operation was called in a state that does not allow it (for example a task transition that is not in the state machine). */
export class IllegalStateError extends StreamsError {}
