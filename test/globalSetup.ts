import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaCluster, SchemaRegistryServer } from '@tributary/kafka-local';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
    /** Set when the run includes `*.registry.integration.test.ts` files. */
    schemaRegistryUrl: string | undefined;
  }
}

/** Whether the files this run selected include tests that need a schema registry. */
async function runNeedsSchemaRegistry(project: TestProject): Promise<boolean> {
  // The command line's file filters: Vitest keeps them on `filenamePattern` (set before global setups run;
  // not in its typings). Without them every integration file counts, so the registry starts when in doubt.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const { testFiles } = await project.globTestFiles(filters);
  return testFiles.some((file) => file.endsWith('.registry.integration.test.ts'));
}

/**
 * One broker for the whole integration run: `KAFKA_BOOTSTRAP` if set, otherwise a kafka-local node that is
 * stopped (and its data deleted) when the run ends — and killed with the run if the run dies. When the run
 * includes `*.registry.integration.test.ts` files, a schema registry too (`SCHEMA_REGISTRY_URL` if set,
 * otherwise kafka-local's Apicurio Registry, started beside the broker with the same lifetime).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const needsRegistry = await runNeedsSchemaRegistry(project);
  const external = process.env.KAFKA_BOOTSTRAP;
  if (external) {
    project.provide('kafkaBootstrap', external);
    const externalRegistry = process.env.SCHEMA_REGISTRY_URL;
    if (!needsRegistry || externalRegistry) {
      project.provide('schemaRegistryUrl', externalRegistry);
      return async () => {};
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'schema-registry-'));
    const registry = await SchemaRegistryServer.start({ dataDir, onProgress: (m) => console.log(m) });
    project.provide('schemaRegistryUrl', registry.url);
    return async () => {
      await registry.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const cluster = await KafkaCluster.start({
    nodes: 1,
    schemaRegistry: needsRegistry,
    onProgress: (m) => console.log(m),
  });
  project.provide('kafkaBootstrap', cluster.bootstrapServers);
  project.provide('schemaRegistryUrl', cluster.schemaRegistryUrl);
  return async () => {
    await cluster.stop();
  };
}
