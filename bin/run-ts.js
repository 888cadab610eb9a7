#!/usr/bin/env node
// `node bin/run-ts.js file.ts args...`: runs a TypeScript program (benchmarks, scripts).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [script, ...args] = process.argv.slice(2);
if (script === undefined) {
  console.error('usage: run-ts.js FILE.ts [ARGS...]');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(script), ...args];
await import(pathToFileURL(resolve(script)).href);
