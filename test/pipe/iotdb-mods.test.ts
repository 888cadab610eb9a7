import { describe, expect, it } from 'vitest';
import { readIoTDBMods } from '../../pipe/receiver/iotdb-mods.js';

describe("IoTDB's text mods file", () => {
  it('reads deletions, paths with commas included', () => {
    const text =
      'DELETION,root.ln.wf01.wt01.temperature,111,100,300\nDELETION,root.sg.`a,b`.s,9223372036854775807,-5,7\n';
    expect(readIoTDBMods(text)).toEqual([
      { pattern: 'root.ln.wf01.wt01.temperature', start: 100n, end: 300n },
      { pattern: 'root.sg.`a,b`.s', start: -5n, end: 7n },
    ]);
    expect(readIoTDBMods('')).toEqual([]);
  });

  it('refuses other kinds and malformed lines', () => {
    expect(() => readIoTDBMods('UPDATE,root.a.b,1,2,3')).toThrow(/unknown modification type/);
    expect(() => readIoTDBMods('DELETION,root.a.b,1,2')).toThrow(/expected DELETION/);
    expect(() => readIoTDBMods('DELETION,root.a.b,1,x,3')).toThrow(/'x' is not a number/);
  });
});
