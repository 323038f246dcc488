/** librdkafka configuration, by librdkafka's own property names (`bootstrap.servers`, `acks`, `sasl.mechanisms`...). */
export type ClientConfig = Readonly<Record<string, string | number | boolean>>;
