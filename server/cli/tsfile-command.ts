import { readFileSync, statSync } from 'node:fs';
import { Command } from 'commander';
import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';
import { dumpPoints } from '../../tsfile/tools/dump.js';
import { summarize } from '../../tsfile/tools/summary.js';
import { parseSchemaJson, writePointsCsv } from '../../tsfile/tools/write-from-csv.js';
import { TsFileWriter } from '../../tsfile/write/tsfile-writer.js';

/** `iotdb-lite tsfile dump|summary|write`: inspect and produce TsFiles from the shell. */
export function tsfileCommand(): Command {
  const tsfile = new Command('tsfile').description('read and write TsFile v3 files');
  tsfile
    .command('dump')
    .description('print every point as CSV: device,measurement,time,value (sorted)')
    .argument('<file>', 'a .tsfile')
    .action((file: string) =>
      guard(() => {
        const reader = TsFileReader.open(file);
        try {
          dumpPoints(reader, (text) => process.stdout.write(text));
        } finally {
          reader.close();
        }
      }),
    );
  tsfile
    .command('summary')
    .description('print devices, series, types, encodings, compressions and counts')
    .argument('<file>', 'a .tsfile')
    .action((file: string) =>
      guard(() => {
        const reader = TsFileReader.open(file);
        try {
          process.stdout.write(summarize(reader, statSync(file).size));
        } finally {
          reader.close();
        }
      }),
    );
  tsfile
    .command('write')
    .description('write a TsFile from point CSV and a schema JSON')
    .argument('<out>', 'the .tsfile to create (must not exist)')
    .argument('<csv>', 'points: device,measurement,time,value')
    .requiredOption('--schema <file>', 'schema JSON: {"devices":[{"device","aligned","measurements":[...]}]}')
    .action((out: string, csv: string, options: { schema: string }) =>
      guard(() => {
        const schema = parseSchemaJson(readFileSync(options.schema, 'utf8'));
        const writer = TsFileWriter.create(out);
        const points = writePointsCsv(writer, schema, readFileSync(csv, 'utf8'));
        writer.close();
        process.stderr.write(`wrote ${points} points to ${out}\n`);
      }),
    );
  return tsfile;
}

/** Turns any failure into one line on stderr and exit status 1 (corrupt file, bad CSV, ...). */
function guard(run: () => void): void {
  try {
    run();
  } catch (error) {
    const e = error as Error;
    const kind = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
    process.stderr.write(`iotdb-lite: ${kind}${e.message}\n`);
    process.exitCode = 1;
  }
}
