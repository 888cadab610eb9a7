import { parsePath } from '../../engine/path/path.js';
import { PathPattern } from '../../engine/path/path-pattern.js';
import type { Tablet } from '../../tsfile/tablet.js';
import type { PipeDeletion } from '../connector/pipe-connector.js';
import { tsFileTablets } from '../plugin/tsfile-tablets.js';

/**
 * A sealed file's points as tablets, for a receiver that must convert them to its series'
 * types (IoTDB reads such a file into tablets too): points the sender's mods deleted are
 * nulls, so they are not written.
 */
export function* tabletsOfFile(path: string, deletions: readonly PipeDeletion[]): Generator<Tablet> {
  const compiled = deletions.map((d) => ({ matcher: new PathPattern(d.pattern), start: d.start, end: d.end }));
  for (const tablet of tsFileTablets(path)) {
    if (compiled.length === 0) {
      yield tablet;
      continue;
    }
    const device = parsePath(tablet.device);
    const nulls = tablet.measurements.map((m, j) => {
      const dels = compiled.filter((d) => d.matcher.matches([...device, m]));
      const given = tablet.nulls[j];
      if (dels.length === 0) return given ?? null;
      const out = new Uint8Array(tablet.rowCount);
      for (let i = 0; i < tablet.rowCount; i++) {
        const t = tablet.times[i]!;
        out[i] = given?.[i] === 1 || dels.some((d) => t >= d.start && t <= d.end) ? 1 : 0;
      }
      return out;
    });
    yield { ...tablet, nulls };
  }
}
