import { Socket } from 'node:net';

const METADATA_API_KEY = 3;
const METADATA_VERSION = 4; // the lowest Metadata version Kafka 4.x still accepts; not "flexible"

function metadataRequest(correlationId: number): Buffer {
  const clientId = Buffer.from('kafka-local', 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let o = 0;
  o = body.writeInt16BE(METADATA_API_KEY, o);
  o = body.writeInt16BE(METADATA_VERSION, o);
  o = body.writeInt32BE(correlationId, o);
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  o = body.writeInt32BE(-1, o); // topics: null = all topics
  body.writeInt8(0, o); // allow_auto_topic_creation
  const frame = Buffer.alloc(4);
  frame.writeInt32BE(body.length, 0);
  return Buffer.concat([frame, body]);
}

function parseBrokerIds(response: Buffer): number[] {
  let o = 4; // correlation id
  o += 4; // throttle_time_ms
  const count = response.readInt32BE(o);
  o += 4;
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(response.readInt32BE(o));
    o += 4;
    const hostLength = response.readInt16BE(o);
    o += 2 + hostLength + 4; // host, port
    const rackLength = response.readInt16BE(o);
    o += 2 + Math.max(rackLength, 0);
  }
  return ids.sort((a, b) => a - b);
}

/**
 * Sends one Metadata request to a broker on loopback and returns the ids of the brokers it knows.
 * A plain socket keeps kafka-local free of any Kafka client library.
 */
export function fetchBrokerIds(port: number, timeoutMs = 2_000): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () =>
      fail(new Error(`no metadata answer from 127.0.0.1:${port} in ${timeoutMs} ms`)),
    );
    socket.on('error', fail);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 4) return;
      const all = Buffer.concat(chunks);
      const size = all.readInt32BE(0);
      if (all.length < 4 + size) return;
      socket.destroy();
      try {
        resolve(parseBrokerIds(all.subarray(4, 4 + size)));
      } catch (error) {
        reject(error as Error);
      }
    });
    socket.connect(port, '127.0.0.1', () => socket.write(metadataRequest(1)));
  });
}
