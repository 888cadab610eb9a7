// Runs every benchmark program in bench/ one after the other (each prints its own figures).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const runner = join(here, '..', 'bin', 'run-ts.js');
const skip = new Set(['run-all.ts', 'bench-util.ts']);
for (const file of readdirSync(here).sort()) {
  if (!file.endsWith('.ts') || skip.has(file)) continue;
  console.log(`# ${file}`);
  const run = spawnSync(process.execPath, [runner, join(here, file)], { stdio: 'inherit' });
  if (run.status !== 0) console.log(`# ${file} exited with ${run.status}`);
}
