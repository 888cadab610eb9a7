// The storage engine embedded in a program: open a folder, write, query, flush, reopen.
// Run with: node bin/run-ts.js examples/embedded-engine.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StorageEngine } from '../engine/index.js';
import { DataType } from '../tsfile/data-type.js';

const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-example-'));
const engine = StorageEngine.open({ dir, walMode: 'SYNC' });

// A tablet: one device, rows in columns (typed arrays), optional per-column null maps.
await engine.write({
  device: 'root.factory.line1',
  aligned: false,
  measurements: ['temperature', 'running'],
  dataTypes: [DataType.DOUBLE, DataType.BOOLEAN],
  times: BigInt64Array.of(1000n, 2000n, 3000n),
  columns: [Float64Array.of(20.5, 21.0, 21.7), Uint8Array.of(1, 1, 0)],
  nulls: [null, null],
  rowCount: 3,
});
await engine.flush(); // memtables -> a sealed TsFile under dir/data/sequence/...
await engine.delete('root.factory.line1.temperature', 2000n, 2000n);
await engine.close();

const reopened = StorageEngine.open({ dir });
for (const block of reopened.readSeries('root.factory.line1', 'temperature', { start: 0n })) {
  for (let i = 0; i < block.length; i++) console.log(`${block.times[i]} ${(block.values as Float64Array)[i]}`);
}
await reopened.close();
rmSync(dir, { recursive: true, force: true });
