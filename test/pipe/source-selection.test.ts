import { describe, expect, it } from 'vitest';
import { PathPattern } from '../../engine/path/path-pattern.js';
import { sourceScope } from '../../pipe/extractor/source-scope.js';
import { SeriesSelection, splitPatterns } from '../../pipe/series-selection.js';
import { eventually, pipeNodes, rows } from './pipe-test-kit.js';

const node = pipeNodes();

function params(values: Record<string, string>) {
  return { get: (name: string) => values[name] ?? (name === 'pattern' ? 'root' : null) };
}

describe('source.path, source.path.exclusion', () => {
  it('selects by IoTDB path patterns minus the exclusions, and splits lists outside backquotes', () => {
    expect(splitPatterns('root.a.`x,y`, root.b.**', 'path').map(String)).toEqual(['root.a.`x,y`', 'root.b.**']);
    const s = SeriesSelection.of(params({ path: 'root.db.d*.**,root.other.*.s', 'path.exclusion': 'root.db.d2.t' }));
    expect(s.matchesAll).toBe(false);
    expect(s.matchesSeries('root.db.d1', 's')).toBe(true);
    expect(s.matchesSeries('root.db.d2', 't')).toBe(false);
    expect(s.matchesSeries('root.db.e', 's')).toBe(false);
    expect(s.matchesSeries('root.other.x', 's')).toBe(true);
    expect(s.matchesSeries('root.other.x', 't')).toBe(false);
    expect(s.coversDevice('root.db.d1')).toBe(true);
    expect(s.coversDevice('root.db.d2')).toBe(false);
    expect(s.coversDevice('root.other.x')).toBe(false);
    expect(s.mayMatchDevice('root.other.x')).toBe(true);
    expect(s.coversDeletion(new PathPattern('root.db.**'))).toBe(false);
    expect(SeriesSelection.of(params({ path: 'root.**' })).matchesAll).toBe(true);
    expect(() => SeriesSelection.of(params({ path: 'root.a..b' }))).toThrow(
      "invalid path pattern 'root.a..b' in 'path'",
    );
  });

  it('bounds history and realtime by start-time / end-time; 1.2’s history keys bound history only; now is the creation time', () => {
    const scope = sourceScope(
      params({ 'start-time': '10', 'end-time': 'now', 'history.start-time': '20' }),
      'ms',
      1_000,
    );
    expect(scope.realtime).toEqual({ start: 10n, end: 1000n });
    expect(scope.history).toEqual({ start: 20n, end: 1000n });
    expect(() => sourceScope(params({ 'start-time': '5', 'end-time': '4' }), 'ms', 0)).toThrow(
      'start-time (5) is later than the end time (4): the pipe would sync nothing',
    );
  });

  it('syncs what path and times select, from history files and realtime, between two nodes', async () => {
    const a = await node();
    const b = await node();
    const insert = (device: string, m: string, times: number[]) =>
      a.session.executeStatement(
        `insert into ${device}(time, ${m}) values ${times.map((t) => `(${t}, ${t})`).join(', ')}`,
      );
    await insert('root.db.d1', 's', [1, 5, 9]);
    await insert('root.db.d2', 's', [5]);
    await insert('root.db.d2', 't', [5]);
    await insert('root.db.e', 's', [5]);
    await a.session.executeStatement('flush');
    await insert('root.db.d10', 's', [5]);
    await a.session.executeStatement(
      `create pipe p with source ('source.path'='root.db.d*.**', 'source.path.exclusion'='root.db.d2.t', 'source.start-time'='2', 'source.end-time'='8') with sink ('sink'='iotdb-thrift-sink', 'sink.ip'='127.0.0.1', 'sink.port'='${b.node.port}')`,
    );
    await a.session.executeStatement('start pipe p');
    await insert('root.db.d1', 's', [0, 6, 100]);
    await insert('root.db.d2', 't', [6]);
    await insert('root.db.e', 's', [6]);
    await insert('root.db.d2', 's', [7]);
    await eventually(async () => (await rows(b.session, 'select s from root.db.d2')).length === 2, 'B to get d2.s');
    expect(await rows(b.session, 'select s from root.db.d1')).toEqual([
      ['5', '5'],
      ['6', '6'],
    ]);
    expect(await rows(b.session, 'select s from root.db.d2')).toEqual([
      ['5', '5'],
      ['7', '7'],
    ]);
    expect(await rows(b.session, 'select s from root.db.d10')).toEqual([['5', '5']]);
    expect(await rows(b.session, 'show timeseries root.db.e.**')).toEqual([]);
    expect(await rows(b.session, 'show timeseries root.db.d2.t')).toEqual([]);

    await expect(
      a.session.executeStatement(
        "create pipe bad with source ('source.start-time'='9', 'source.end-time'='3') with sink ('sink'='do-nothing-sink')",
      ),
    ).rejects.toThrow('start-time (9) is later than the end time (3)');
    await expect(
      a.session.executeStatement(
        "create pipe bad with source ('source.start-time'='yesterday') with sink ('sink'='do-nothing-sink')",
      ),
    ).rejects.toThrow("'yesterday' is neither an epoch number, an ISO-8601 time nor now");
  }, 60_000);
});
