// A child process for the crash tests: writes with WAL SYNC and reports each acknowledged
// write on stdout as `ack <first time> <rows>`, until it is killed.
import { StorageEngine } from '../../engine/storage-engine.js';
import { DataType } from '../../tsfile/data-type.js';

const [dir, startArg] = process.argv.slice(2);
const engine = StorageEngine.open({ dir: dir!, walMode: 'SYNC', memtableBytesMax: 256 * 1024, flushInWorker: true });
let next = Number(startArg ?? 0);
for (;;) {
  const rows = 1 + (next % 50);
  const times = BigInt64Array.from({ length: rows }, (_, i) => BigInt(next + i));
  await engine.write({
    device: 'root.crash.d',
    aligned: false,
    measurements: ['v'],
    dataTypes: [DataType.INT64],
    times,
    columns: [BigInt64Array.from(times, (t) => t * 3n)],
    nulls: [null],
    rowCount: rows,
  });
  process.stdout.write(`ack ${next} ${rows}\n`);
  next += rows;
  if (next % 997 < 50) await engine.flush();
}
