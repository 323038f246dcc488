import { fileURLToPath } from 'node:url';
import { KafkaStreams } from '@tributary/streams';
import { buildTopology, env } from './tributaryTopology.js';

/**
 * Tributary's side of the side-by-side benchmark, run as its own process by the harness: BENCH_BOOTSTRAP,
 * BENCH_APP_ID, BENCH_GUARANTEE, BENCH_THREADS (> 1: one process per stream thread, each importing
 * tributaryTopology.js) and BENCH_STATE_DIR, plus the topology's variables. Prints RUNNING once running and
 * ERROR if the instance fails; closes on SIGTERM.
 */
async function main(): Promise<void> {
  const threads = Number(process.env.BENCH_THREADS ?? '1');
  const config = {
    'application.id': env('BENCH_APP_ID'),
    'bootstrap.servers': env('BENCH_BOOTSTRAP'),
    'processing.guarantee': env('BENCH_GUARANTEE') as 'at_least_once' | 'exactly_once_v2',
    'commit.interval.ms': 100,
    'num.stream.threads': threads,
    'state.dir': env('BENCH_STATE_DIR'),
    // P4 only: the Kafka stream thread reports no fetched lag to its tasks (the runtime's KIP-695 idling has no
    // caller in @tributary/streams yet), so with the default 0 a task can process its stream records before the
    // older table rows are fetched: 1 of 6 quick runs joined 7,500 of 20,000. Up to 1 s of waiting per task instead.
    ...(env('BENCH_WORKLOAD') === 'p4' ? { 'max.task.idle.ms': 1_000 } : {}),
  };
  const streams = new KafkaStreams(
    threads > 1
      ? {
          module: fileURLToPath(new URL('./tributaryTopology.js', import.meta.url)),
          exportName: 'buildTopology',
        }
      : buildTopology(),
    config,
  );
  streams.state$.subscribe((state) => {
    if (state === 'RUNNING') process.stdout.write('RUNNING\n');
    if (state === 'ERROR') process.stdout.write(`ERROR ${String(streams.error)}\n`);
  });
  let closing = false;
  process.on('SIGTERM', () => {
    if (closing) return;
    closing = true;
    streams.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  await streams.start();
}

await main();
