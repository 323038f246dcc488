import { KafkaCluster } from '@tributary/kafka-local';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

/**
 * One broker for the whole integration run: `KAFKA_BOOTSTRAP` if set, otherwise a kafka-local node that is
 * stopped (and its data deleted) when the run ends — and killed with the run if the run dies.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.KAFKA_BOOTSTRAP;
  if (external) {
    project.provide('kafkaBootstrap', external);
    return async () => {};
  }
  const cluster = await KafkaCluster.start({ nodes: 1, onProgress: (m) => console.log(m) });
  project.provide('kafkaBootstrap', cluster.bootstrapServers);
  return async () => {
    await cluster.stop();
  };
}
