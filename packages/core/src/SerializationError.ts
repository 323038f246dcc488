import { StreamsError } from './StreamsError.js';

/** A key or value could not be serialized or deserialized; the message names the topic, partition and offset where known. */
export class SerializationError extends StreamsError {}
