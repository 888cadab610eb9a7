import { PayloadError } from '../../protocol/payload-error.js';
import type { PipeDeletion } from '../connector/pipe-connector.js';

/**
 * Reads IoTDB's text mods file (the `.mods` beside a TsFile that a sender ships with it):
 * one modification a line, `DELETION,<path>,<file offset>,<start time>,<end time>`. A path
 * may itself contain commas, so the three numbers are taken from the end. The file offset
 * (which chunks a deletion reaches inside a file still being written) is not needed for a
 * sealed file and is ignored. A line of another kind or with bad numbers is refused.
 */
export function readIoTDBMods(text: string): PipeDeletion[] {
  const out: PipeDeletion[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const fields = line.split(',');
    const bad = (why: string) => new PayloadError(`mods line ${n + 1} (${line.slice(0, 80)}): ${why}`);
    if (fields[0] !== 'DELETION') throw bad(`unknown modification type '${fields[0]}'`);
    if (fields.length < 5) throw bad('expected DELETION,path,offset,start,end');
    const [, start, end] = fields.slice(-3).map((f) => {
      if (!/^-?[0-9]+$/.test(f.trim())) throw bad(`'${f}' is not a number`);
      return BigInt(f.trim());
    });
    out.push({ pattern: fields.slice(1, -3).join(','), start: start!, end: end! });
  }
  return out;
}
