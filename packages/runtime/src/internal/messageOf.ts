/** The message of anything thrown, for error messages that wrap it. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
