import { openSync, writeSync } from 'node:fs';
import type { Tablet } from '../../tsfile/tablet.js';

/**
 * A record of when this receiver applied each tablet, for measuring replication lag the
 * way PostgreSQL's subscribers are measured (a trigger stamping each applied row): one line
 * `device lastTime monotonicNs` per tablet, appended once the engine has taken it, where
 * `lastTime` is the tablet's last row time and `monotonicNs` the system's monotonic clock
 * (`process.hrtime`, the same clock for every process of the machine). A benchmark reads
 * the file afterwards instead of polling the node with queries. Off unless the node
 * setting `pipe_receiver_apply_probe_file` names the file.
 */
export class ApplyProbe {
  /** Opened at the first stamp and kept for the node's life: one write per stamp, not an open and close too. */
  private fd = -1;

  constructor(private readonly path: string) {}

  record(tablets: readonly Tablet[]): void {
    const at = process.hrtime.bigint();
    let lines = '';
    for (const t of tablets) {
      if (t.rowCount > 0) lines += `${t.device} ${t.times[t.rowCount - 1]} ${at}\n`;
    }
    if (lines === '') return;
    if (this.fd < 0) this.fd = openSync(this.path, 'a');
    writeSync(this.fd, lines);
  }
}
