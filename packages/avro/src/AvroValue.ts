interface PrimitiveValues {
  null: null;
  boolean: boolean;
  int: number;
  long: number;
  float: number;
  double: number;
  bytes: Buffer;
  string: string;
}

type FieldValues<Fields extends readonly unknown[]> = {
  -readonly [Field in Fields[number] as Field extends { readonly name: infer Name extends string }
    ? Name
    : never]: Field extends { readonly type: infer FieldType } ? AvroValue<FieldType> : never;
};

/**
 * The TypeScript type of the values an Avro schema describes, inferred from a schema literal written
 * `as const`: records become objects, enums unions of their symbols, arrays arrays, maps string-keyed
 * objects, unions the union of their branches (unambiguous unions are read and written unwrapped), `long`
 * a number (a safe integer; larger values fail with a SerializationError), `bytes` and `fixed` Buffers.
 * Named types referenced by name, and logical types, come out as their underlying or `unknown` types.
 *
 * ```ts
 * const Transaction = { type: 'record', name: 'Transaction', fields: [
 *   { name: 'id', type: 'string' }, { name: 'amount', type: 'double' } ] } as const;
 * type Transaction = AvroValue<typeof Transaction>; // { id: string; amount: number }
 * ```
 */
export type AvroValue<Schema> = Schema extends keyof PrimitiveValues
  ? PrimitiveValues[Schema]
  : Schema extends readonly (infer Branch)[]
    ? AvroValue<Branch>
    : Schema extends {
          readonly type: 'record' | 'error';
          readonly fields: infer Fields extends readonly unknown[];
        }
      ? FieldValues<Fields>
      : Schema extends { readonly type: 'enum'; readonly symbols: readonly (infer Symbol)[] }
        ? Symbol
        : Schema extends { readonly type: 'array'; readonly items: infer Items }
          ? AvroValue<Items>[]
          : Schema extends { readonly type: 'map'; readonly values: infer Values }
            ? Record<string, AvroValue<Values>>
            : Schema extends { readonly type: 'fixed' }
              ? Buffer
              : Schema extends { readonly type: infer Primitive extends keyof PrimitiveValues }
                ? PrimitiveValues[Primitive]
                : unknown;
