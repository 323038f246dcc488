import { TopologyError } from '@tributary/core';

const LEGAL_NAME = /^[a-zA-Z0-9._-]+$/;
const MAX_NAME_LENGTH = 249;

/** Checks a user-given node, store or topic name the way Kafka checks topic names (they may become topics). */
export function validateName(name: string, what: string): string {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || !LEGAL_NAME.test(name)) {
    throw new TopologyError(
      `${what} '${name}' is not a legal name: use 1 to ${MAX_NAME_LENGTH} characters from [a-zA-Z0-9._-]`,
    );
  }
  return name;
}

/** Names the processor node an operator creates, instead of a generated `KSTREAM-<OP>-<index>` name. */
export class Named {
  /**
   * Makes Named nominal: without a private member a function (which has a `name`) would satisfy it
   * structurally, and `table.join(other, foreignKeyExtractor, joiner)` would type-check as the table-table
   * overload with the joiner taken for a Named.
   */
  declare private readonly brand: 'Named';

  private constructor(readonly name: string) {}

  static as(name: string): Named {
    return new Named(validateName(name, 'Named'));
  }
}
