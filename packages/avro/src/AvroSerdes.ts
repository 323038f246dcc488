import { AvroSerde } from './AvroSerde.js';
import type { AvroSerdeOptions } from './AvroSerdeOptions.js';
import type { AvroValue } from './AvroValue.js';

type Options = Omit<AvroSerdeOptions, 'schema' | 'isKey'>;

/**
 * Typed Avro serdes from a schema literal written `as const`: the serde's type is inferred from the schema,
 * so `builder.stream('tx', Consumed.with(Serdes.String(), AvroSerdes.value(Transaction, { registry })))` is a
 * `KStream<string, AvroValue<typeof Transaction>>` without a cast.
 */
export const AvroSerdes = {
  /** A value serde (subjects `<topic>-value` by default) for values of `schema`. */
  value<const Schema>(schema: Schema, options: Options): AvroSerde<AvroValue<Schema>> {
    return new AvroSerde<AvroValue<Schema>>({ ...options, schema: schema as object, isKey: false });
  },
  /** A key serde (subjects `<topic>-key` by default) for keys of `schema`. */
  key<const Schema>(schema: Schema, options: Options): AvroSerde<AvroValue<Schema>> {
    return new AvroSerde<AvroValue<Schema>>({ ...options, schema: schema as object, isKey: true });
  },
  /**
   * A generic serde: reads every record as its writer schema says (objects of unknown shape); writes only
   * with `useLatestVersion`.
   */
  generic(options: Options & { readonly isKey?: boolean }): AvroSerde<Record<string, unknown>> {
    return new AvroSerde<Record<string, unknown>>(options);
  },
} as const;
