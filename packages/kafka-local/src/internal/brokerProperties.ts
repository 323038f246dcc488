export interface BrokerPorts {
  readonly nodeId: number;
  readonly port: number;
  readonly controllerPort: number;
}

/**
 * server.properties for one combined broker+controller node of a loopback KRaft cluster with a static quorum.
 * Sized for a small machine: few threads, small cleaner buffer, few internal-topic partitions.
 */
export function brokerProperties(
  node: BrokerPorts,
  all: readonly BrokerPorts[],
  logDir: string,
  overrides: Readonly<Record<string, string>>,
): string {
  const replication = all.length >= 3 ? 3 : 1;
  const minIsr = all.length >= 3 ? 2 : 1;
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(node.nodeId),
    'controller.quorum.voters': all.map((b) => `${b.nodeId}@127.0.0.1:${b.controllerPort}`).join(','),
    listeners: `PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': logDir,
    'num.partitions': '1',
    'default.replication.factor': String(replication),
    'min.insync.replicas': String(minIsr),
    'offsets.topic.replication.factor': String(replication),
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': String(replication),
    'transaction.state.log.min.isr': String(minIsr),
    'transaction.state.log.num.partitions': '10',
    'share.coordinator.state.topic.replication.factor': String(replication),
    'share.coordinator.state.topic.min.isr': String(minIsr),
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
    'unclean.leader.election.enable': 'false',
    'num.network.threads': '2',
    'num.io.threads': '4',
    'background.threads': '4',
    'log.cleaner.dedupe.buffer.size': '16777216',
    'log.cleaner.threads': '1',
    'num.recovery.threads.per.data.dir': '1',
    ...overrides,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

/** log4j2 properties: warnings, plus the lines that say the server started or stopped. */
export const LOG4J2_PROPERTIES = `status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
logger.raftserver.name = kafka.server.KafkaRaftServer
logger.raftserver.level = info
logger.broker.name = kafka.server.BrokerServer
logger.broker.level = info
`;
