import { TopologyError } from '@tributary/core';

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** A store name becomes part of its changelog topic name, so it must be a legal topic name fragment. */
export function validateStoreName(name: string): string {
  if (typeof name !== 'string' || !LEGAL.test(name) || name.length > 200) {
    throw new TopologyError(
      `Store name '${String(name)}' is not valid: use 1-200 characters of [a-zA-Z0-9._-], because the name ` +
        'becomes part of the changelog topic <application.id>-<store>-changelog',
    );
  }
  return name;
}
