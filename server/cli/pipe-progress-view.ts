/** One pipe as SHOW PIPES PROGRESS reports it; null where the node has no figure. */
export interface PipeProgress {
  readonly id: string;
  readonly state: string;
  readonly error: string;
  readonly remainingEvents: number;
  /** Seconds; Infinity when events remain and nothing moves. */
  readonly etaSeconds: number;
  readonly history: {
    readonly filesDone: number;
    readonly filesTotal: number;
    readonly bytesDone: number;
    readonly bytesTotal: number;
  } | null;
  readonly eventsPerSecond: number;
  readonly realtimeEventsLeft: number | null;
  readonly realtimeLagSeconds: number | null;
  /** Bytes of WAL the pipe keeps on the node's disk; null from a node that does not say. */
  readonly pinnedWalBytes: number | null;
}

/** A row of SHOW PIPES PROGRESS, by column name. */
export type ProgressCells = Readonly<Record<string, string | null>>;

function numberOf(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text === '') return null;
  return text === 'Infinity' ? Number.POSITIVE_INFINITY : Number(text);
}

export function pipeProgressOf(cells: ProgressCells): PipeProgress {
  const filesDone = numberOf(cells.HistoryFilesDone);
  const filesTotal = numberOf(cells.HistoryFilesTotal);
  const bytesDone = numberOf(cells.HistoryBytesDone);
  const bytesTotal = numberOf(cells.HistoryBytesTotal);
  return {
    id: cells.ID ?? '',
    state: cells.State ?? '',
    error: cells.ExceptionMessage ?? '',
    remainingEvents: numberOf(cells.RemainingEventCount) ?? 0,
    etaSeconds: numberOf(cells.EstimatedRemainingSeconds) ?? Number.POSITIVE_INFINITY,
    history:
      filesDone === null || filesTotal === null || bytesDone === null || bytesTotal === null
        ? null
        : { filesDone, filesTotal, bytesDone, bytesTotal },
    eventsPerSecond: numberOf(cells.EventsPerSecond) ?? 0,
    realtimeEventsLeft: numberOf(cells.RealtimeEventsLeft),
    realtimeLagSeconds: numberOf(cells.RealtimeLagSeconds),
    pinnedWalBytes: numberOf(cells.PinnedWalBytes),
  };
}

/**
 * History bytes per second of each pipe between two snapshots `seconds` apart (the node
 * counts events per second; bytes are the watcher's own measure). Absent on the first.
 */
export function byteRates(
  before: readonly PipeProgress[] | null,
  after: readonly PipeProgress[],
  seconds: number,
): Map<string, number> {
  const rates = new Map<string, number>();
  if (before === null || seconds <= 0) return rates;
  const earlier = new Map(before.map((p) => [p.id, p.history?.bytesDone]));
  for (const p of after) {
    const was = earlier.get(p.id);
    if (was !== undefined && p.history !== null) rates.set(p.id, Math.max(0, p.history.bytesDone - was) / seconds);
  }
  return rates;
}

function percent(p: PipeProgress): number | null {
  const h = p.history;
  if (h === null) return null;
  if (h.bytesTotal > 0) return (100 * h.bytesDone) / h.bytesTotal;
  return h.filesTotal > 0 ? (100 * h.filesDone) / h.filesTotal : 100;
}

const plainNumber = (n: number | null | undefined, digits: number) =>
  n === null || n === undefined ? '-' : Number.isFinite(n) ? n.toFixed(digits) : 'Infinity';

/**
 * One line per pipe for a reader that is not a terminal (a log, a pipe into grep): raw
 * numbers as key=value, the error last and quoted.
 */
export function plainLine(p: PipeProgress, bytesPerSecond: number | undefined): string {
  const h = p.history;
  return [
    `pipe=${p.id}`,
    `state=${p.state}`,
    `files=${h === null ? '-' : `${h.filesDone}/${h.filesTotal}`}`,
    `bytes=${h === null ? '-' : `${h.bytesDone}/${h.bytesTotal}`}`,
    `progress=${percent(p) === null ? '-' : `${plainNumber(percent(p), 1)}%`}`,
    `events_per_second=${plainNumber(p.eventsPerSecond, 2)}`,
    `bytes_per_second=${plainNumber(bytesPerSecond, 0)}`,
    `remaining_events=${p.remainingEvents}`,
    `eta_seconds=${plainNumber(p.etaSeconds, 2)}`,
    `realtime_left=${plainNumber(p.realtimeEventsLeft, 0)}`,
    `lag_seconds=${plainNumber(p.realtimeLagSeconds, 3)}`,
    `pinned_wal_bytes=${plainNumber(p.pinnedWalBytes, 0)}`,
    `error=${JSON.stringify(p.error)}`,
  ].join(' ');
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function humanBytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

export function humanSeconds(s: number): string {
  if (!Number.isFinite(s)) return '∞';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const BAR_WIDTH = 24;

function bar(fraction: number): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  return `[${'█'.repeat(full)}${'░'.repeat(BAR_WIDTH - full)}]`;
}

/** The terminal frame: a header, then per pipe its state, a history bar, the realtime lag and the last error. */
export function terminalFrame(
  node: string,
  pipes: readonly PipeProgress[],
  rates: ReadonlyMap<string, number>,
  at: Date,
): string {
  const lines = [
    `${node}  ${pipes.length} pipe${pipes.length === 1 ? '' : 's'}  ${at.toISOString().slice(11, 19)} UTC`,
  ];
  if (pipes.length === 0) lines.push('  (no pipes)');
  for (const p of pipes) {
    lines.push('', `${p.id}  ${p.state}`);
    const h = p.history;
    if (h === null) lines.push('  history   none');
    else {
      const rate = rates.get(p.id);
      lines.push(
        `  history   ${bar((percent(p) ?? 0) / 100)} ${plainNumber(percent(p), 0)}%  ${h.filesDone}/${h.filesTotal} files  ` +
          `${humanBytes(h.bytesDone)} of ${humanBytes(h.bytesTotal)}`,
      );
      lines.push(
        `            ${p.eventsPerSecond.toFixed(1)} events/s${rate === undefined ? '' : `  ${humanBytes(rate)}/s`}  ` +
          `ETA ${p.remainingEvents === 0 ? 'done' : humanSeconds(p.etaSeconds)}`,
      );
    }
    lines.push(
      p.realtimeEventsLeft === null
        ? '  realtime  none'
        : `  realtime  ${p.realtimeEventsLeft} events left, lag ${p.realtimeLagSeconds === null ? '-' : `${p.realtimeLagSeconds.toFixed(3)}s`}` +
            `, WAL pinned ${p.pinnedWalBytes === null ? '-' : humanBytes(p.pinnedWalBytes)}`,
    );
    lines.push(`  error     ${p.error === '' ? '-' : p.error}`);
  }
  return lines.join('\n');
}
