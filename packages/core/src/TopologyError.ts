import { StreamsError } from './StreamsError.js';

/** A mistake in how a topology was written, found when it is built or started. The message names the node and the fix. */
export class TopologyError extends StreamsError {}
