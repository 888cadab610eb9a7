import { describe, expect, it } from 'vitest';
import { byteRates, pipeProgressOf, plainLine, terminalFrame } from '../../../server/cli/pipe-progress-view.js';

const running = pipeProgressOf({
  ID: 'a2b',
  State: 'RUNNING',
  ExceptionMessage: '',
  RemainingEventCount: '9',
  EstimatedRemainingSeconds: '3.60',
  HistoryFilesDone: '3',
  HistoryFilesTotal: '12',
  HistoryBytesDone: '1258291',
  HistoryBytesTotal: '5033164',
  EventsPerSecond: '2.50',
  RealtimeEventsLeft: '0',
  RealtimeLagSeconds: '0.012',
  PinnedWalBytes: '3145728',
});
const stopped = pipeProgressOf({
  ID: 'b2c',
  State: 'STOPPED',
  ExceptionMessage: 'connection refused',
  RemainingEventCount: '4',
  EstimatedRemainingSeconds: 'Infinity',
  HistoryFilesDone: null,
  HistoryFilesTotal: null,
  HistoryBytesDone: null,
  HistoryBytesTotal: null,
  EventsPerSecond: '0.00',
  RealtimeEventsLeft: '4',
  RealtimeLagSeconds: null,
  PinnedWalBytes: '0',
});

describe('the pipes view', () => {
  it('draws a terminal frame: bar, files and bytes, rates, ETA, realtime lag, state, error', () => {
    // 1,258,291 of 5,033,164 bytes is 25.0 %: 6 of 24 cells; 314,572 B/s is 307.2 KiB/s.
    expect(terminalFrame('127.0.0.1:6667', [running, stopped], new Map([['a2b', 314572]]), new Date(0))).toBe(
      [
        '127.0.0.1:6667  2 pipes  00:00:00 UTC',
        '',
        'a2b  RUNNING',
        `  history   [${'█'.repeat(6)}${'░'.repeat(18)}] 25%  3/12 files  1.2 MiB of 4.8 MiB`,
        '            2.5 events/s  307.2 KiB/s  ETA 3.6s',
        '  realtime  0 events left, lag 0.012s, WAL pinned 3.0 MiB',
        '  error     -',
        '',
        'b2c  STOPPED',
        '  history   none',
        '  realtime  4 events left, lag -, WAL pinned 0 B',
        '  error     connection refused',
      ].join('\n'),
    );
  });

  it('prints plain lines with raw numbers, and measures bytes per second between snapshots', () => {
    const later = pipeProgressOf({
      ID: 'a2b',
      State: 'RUNNING',
      HistoryFilesDone: '4',
      HistoryFilesTotal: '12',
      HistoryBytesDone: '1858291',
      HistoryBytesTotal: '5033164',
    });
    const rates = byteRates([running, stopped], [later, stopped], 2);
    expect([...rates]).toEqual([['a2b', 300000]]);
    expect(plainLine(stopped, rates.get('b2c'))).toBe(
      'pipe=b2c state=STOPPED files=- bytes=- progress=- events_per_second=0.00 bytes_per_second=- ' +
        'remaining_events=4 eta_seconds=Infinity realtime_left=4 lag_seconds=- pinned_wal_bytes=0 error="connection refused"',
    );
    expect(plainLine(running, 300000)).toContain('files=3/12 bytes=1258291/5033164 progress=25.0% ');
  });
});
