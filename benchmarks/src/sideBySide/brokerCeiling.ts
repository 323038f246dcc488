import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { KafkaAdmin } from '@tributary/kafka';
import type { Guarantee } from './benchSystems.js';
import { ProcessMeter } from './processMeter.js';

export interface CeilingResult {
  readonly tool: 'producer' | 'consumer';
  readonly guarantee: Guarantee | 'any';
  readonly records: number;
  /** As the tool reports it (its own clock, JVM start excluded). */
  readonly recordsPerSecond: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly detail: string;
}

function run(
  classpath: string,
  main: string,
  args: string[],
): Promise<{ out: string; usage: { cpuSeconds: number; peakRssMb: number } }> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-cp', classpath, main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const meter = new ProcessMeter(child.pid ?? -1);
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    // The JVM is sampled until it exits; its last sample is the one taken just before.
    child.on('exit', (code) => {
      const usage = meter.stop();
      if (code === 0) resolve({ out, usage });
      else reject(new Error(`${main} exited ${code}: ${out.slice(-800)}`));
    });
  });
}

/**
 * The broker's ceiling on this machine, with Kafka's own tools from the same jars: kafka-producer-perf-test
 * writing `records` × 100 bytes to a fresh 8-partition topic (acks=all, idempotent; under exactly_once_v2 in
 * transactions of 100 ms), and kafka-consumer-perf-test reading the benchmark input.
 */
export async function brokerCeiling(
  servers: string,
  classpath: string,
  input: { topic: string; records: number },
  guarantees: readonly Guarantee[],
): Promise<CeilingResult[]> {
  const results: CeilingResult[] = [];
  const admin = KafkaAdmin.create({ 'bootstrap.servers': servers });
  try {
    for (const guarantee of guarantees) {
      const topic = `bench-perf-${guarantee === 'exactly_once_v2' ? 'eos' : 'alos'}-${randomUUID().slice(0, 6)}`;
      await admin.createTopics([{ name: topic, partitions: 8 }]);
      const eos = guarantee === 'exactly_once_v2';
      const { out, usage } = await run(classpath, 'org.apache.kafka.tools.ProducerPerformance', [
        '--topic',
        topic,
        '--num-records',
        String(input.records),
        '--record-size',
        '100',
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${servers}`,
        'acks=all',
        'enable.idempotence=true',
        ...(eos ? [`transactional.id=${topic}`] : []),
        ...(eos ? ['--transaction-duration-ms', '100'] : []),
      ]);
      const line =
        out
          .trim()
          .split('\n')
          .reverse()
          .find((l) => l.includes('records sent')) ?? '';
      const rate = /([\d.]+) records\/sec/.exec(line);
      results.push({
        tool: 'producer',
        guarantee,
        records: input.records,
        recordsPerSecond: rate ? Number(rate[1]) : 0,
        ...usage,
        detail: line.trim(),
      });
      await admin.deleteTopics([topic]).catch(() => undefined);
    }
    const { out, usage } = await run(classpath, 'org.apache.kafka.tools.ConsumerPerformance', [
      '--bootstrap-server',
      servers,
      '--topic',
      input.topic,
      '--messages',
      String(input.records),
      '--group',
      `bench-perf-consumer-${randomUUID().slice(0, 6)}`,
    ]);
    // Header then one CSV line: ..., data.consumed.in.nMsg, nMsg.sec, ...
    const lines = out.trim().split('\n');
    const header = lines.findIndex((l) => l.includes('nMsg.sec'));
    const names = (lines[header] ?? '').split(',').map((s) => s.trim());
    const values = (lines[header + 1] ?? '').split(',').map((s) => s.trim());
    const rate = Number(values[names.indexOf('nMsg.sec')]);
    results.push({
      tool: 'consumer',
      guarantee: 'any',
      records: input.records,
      recordsPerSecond: Number.isFinite(rate) ? rate : 0,
      ...usage,
      detail: `${names.join(', ')} = ${values.join(', ')}`,
    });
  } finally {
    admin.close();
  }
  return results;
}
