import { describe, expect, it } from 'vitest';
import { chooseSchemaRegistryRuntime } from '../src/index.js';

const java = (major: number) => ({ path: `/jvm/${major}/bin/java`, major });

describe('chooseSchemaRegistryRuntime', () => {
  it('runs Apicurio 3.3.3 on the newest Java 21+ found', () => {
    expect(chooseSchemaRegistryRuntime(undefined, [java(25), java(21), java(17)])).toEqual({
      version: '3.3.3',
      java: java(25),
    });
  });

  it('falls back to 2.6.13.Final on Java 17 when no Java 21+ is installed', () => {
    expect(chooseSchemaRegistryRuntime(undefined, [java(17)])).toEqual({
      version: '2.6.13.Final',
      java: java(17),
    });
  });

  it('names what to install when no Java fits', () => {
    expect(() => chooseSchemaRegistryRuntime(undefined, [java(11)])).toThrow(
      /needs Java 17 or newer and none was found: install a JDK 21 or newer/,
    );
    expect(() => chooseSchemaRegistryRuntime('3.3.3', [java(17)])).toThrow(
      'Apicurio Registry 3.3.3 needs Java 21+, found only Java 17 (/jvm/17/bin/java): install a JDK 21 or newer',
    );
  });
});
