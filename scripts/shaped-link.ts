import net from 'node:net';

export interface LinkShape {
  /** Bytes per second each way. */
  readonly bytesPerSecond: number;
  /** Added one-way delay. */
  readonly delayMs: number;
}

/** Bytes queued in one direction before the sending side is paused (its socket then fills, as on a slow link). */
const QUEUED_BYTES_MAX = 256 * 1024;

/**
 * A TCP proxy on 127.0.0.1 that behaves like a slow, far link: each direction carries at
 * most `bytesPerSecond` and delivers every byte `delayMs` after it was serialised. It counts
 * the bytes each way, so a test or benchmark can read what went over the wire.
 */
export class ShapedLink {
  /** Bytes carried from the client to the target, and back. */
  bytesUp = 0;
  bytesDown = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async open(targetPort: number, shape: LinkShape): Promise<ShapedLink> {
    let link: ShapedLink | null = null;
    const server = net.createServer((client) => {
      const target = net.connect({ host: '127.0.0.1', port: targetPort });
      const self = link!;
      for (const s of [client, target]) {
        self.sockets.add(s);
        s.setNoDelay(true);
        s.on('error', () => {
          client.destroy();
          target.destroy();
        });
        s.on('close', () => {
          self.sockets.delete(s);
          client.destroy();
          target.destroy();
        });
      }
      shapeDirection(client, target, shape, (n) => {
        self.bytesUp += n;
      });
      shapeDirection(target, client, shape, (n) => {
        self.bytesDown += n;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    link = new ShapedLink(server, (server.address() as net.AddressInfo).port);
    return link;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function shapeDirection(from: net.Socket, to: net.Socket, shape: LinkShape, count: (n: number) => void): void {
  const queue: { chunk: Buffer; dueMs: number }[] = [];
  let queued = 0;
  let freeAtMs = 0;
  let timer: NodeJS.Timeout | null = null;
  const deliver = () => {
    timer = null;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.dueMs <= now) {
      const { chunk } = queue.shift()!;
      queued -= chunk.length;
      count(chunk.length);
      if (!to.destroyed) to.write(chunk);
    }
    if (queued < QUEUED_BYTES_MAX && from.isPaused()) from.resume();
    if (queue.length > 0) timer = setTimeout(deliver, Math.max(0, queue[0]!.dueMs - now));
  };
  from.on('data', (chunk: Buffer) => {
    const now = performance.now();
    const start = Math.max(now, freeAtMs);
    freeAtMs = start + (chunk.length / shape.bytesPerSecond) * 1000;
    queue.push({ chunk, dueMs: freeAtMs + shape.delayMs });
    queued += chunk.length;
    if (queued >= QUEUED_BYTES_MAX) from.pause();
    if (timer === null) timer = setTimeout(deliver, Math.max(0, queue[0]!.dueMs - now));
  });
  from.on('end', () => {
    const finish = () => (queue.length === 0 ? to.end() : setTimeout(finish, 10));
    finish();
  });
}
