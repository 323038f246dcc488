/** The 8-byte big-endian time codec lives in core (its serdes use it too); the stores import it from here. */
export { BigEndianTimestamp } from '@tributary/core';
