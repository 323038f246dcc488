import { StreamsError } from './StreamsError.js';

/** A configuration key is unknown or its value is ill-typed; the message names the key and the accepted values. */
export class ConfigError extends StreamsError {}
