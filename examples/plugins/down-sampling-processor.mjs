/**
 * An iotdb-lite pipe processor: time-window down-sampling. Of every series it keeps the
 * first point in each window of `processor.interval` time units (the node's timestamp
 * precision, milliseconds by default) and drops the rest of that window, so the receiver
 * gets at most one point per series per window. Windows are aligned to time 0 and span
 * events; a point older than the last window kept for its series is dropped too.
 *
 * Load and use it (see "Pipe plugins" in the README):
 *
 *   CREATE PIPEPLUGIN down_sampling AS 'DownSamplingProcessor'
 *     USING URI 'file:///path/to/examples/plugins/down-sampling-processor.mjs'
 *   CREATE PIPE a2b
 *     WITH PROCESSOR ('processor'='down_sampling', 'processor.interval'='60000')
 *     WITH CONNECTOR ('connector'='iotdb-thrift-connector', 'connector.node-urls'='127.0.0.1:6668')
 *
 * History files shipped whole are read into tablets and down-sampled like realtime rows;
 * deletions pass through unchanged. The file imports nothing: what it needs arrives as
 * arguments.
 */
export class DownSamplingProcessor {
  static role = 'processor';
  static description = 'keeps the first point of each series in every window of processor.interval';
  static parameters = [
    {
      name: 'interval',
      type: 'integer',
      default: '1000',
      doc: "window length in the node's time unit (ms unless timestamp_precision says otherwise)",
    },
  ];

  /** The last window kept per series (`device` + NUL + `measurement`). */
  #lastWindow = new Map();
  #interval = 1000n;

  validate(parameters) {
    if (parameters.integer('interval') <= 0n) throw new Error('processor.interval must be a positive number');
  }

  customize(parameters, context) {
    this.#interval = parameters.integer('interval');
    context.log(`down-sampling to one point per ${this.#interval} ${context.timestampPrecision} per series`);
  }

  async process(event, collector) {
    switch (event.kind) {
      case 'tablet-insertion': {
        const sampled = this.#sample(event);
        if (sampled !== null) await collector.collect(sampled);
        return;
      }
      case 'tsfile-insertion':
        for (const rows of event.toTabletInsertionEvents()) {
          const sampled = this.#sample(rows);
          if (sampled !== null) await collector.collect(sampled);
        }
        return;
      default:
        await collector.collect(event);
    }
  }

  /** The event cut to the points kept, or null when none is. */
  #sample(event) {
    const { tablet } = event;
    const rows = tablet.rowCount;
    const width = tablet.measurements.length;
    // keep[j * rows + i] = 1 when column j keeps row i.
    const keep = new Uint8Array(width * rows);
    const anyKept = new Uint8Array(rows);
    let kept = 0;
    for (let j = 0; j < width; j++) {
      const key = `${tablet.device}\u0000${tablet.measurements[j]}`;
      const nulls = tablet.nulls[j];
      let last = this.#lastWindow.get(key);
      for (let i = 0; i < rows; i++) {
        if (nulls !== null && nulls[i] === 1) continue;
        const window = floorDiv(tablet.times[i], this.#interval);
        if (last !== undefined && window <= last) continue;
        last = window;
        keep[j * rows + i] = 1;
        if (anyKept[i] === 0) {
          anyKept[i] = 1;
          kept++;
        }
      }
      if (last !== undefined) this.#lastWindow.set(key, last);
    }
    if (kept === 0) return null;
    if (kept === rows && keep.every((k) => k === 1)) return event;
    const picked = [];
    for (let i = 0; i < rows; i++) if (anyKept[i] === 1) picked.push(i);
    const times = new BigInt64Array(kept);
    for (let k = 0; k < kept; k++) times[k] = tablet.times[picked[k]];
    const columns = [];
    const nulls = [];
    for (let j = 0; j < width; j++) {
      const source = tablet.columns[j];
      const values = Array.isArray(source) ? new Array(kept) : new source.constructor(kept);
      const absent = new Uint8Array(kept);
      for (let k = 0; k < kept; k++) {
        const i = picked[k];
        values[k] = source[i];
        if (keep[j * rows + i] === 0) absent[k] = 1;
      }
      columns.push(values);
      nulls.push(absent.includes(1) ? absent : null);
    }
    return event.withTablet({ ...tablet, times, columns, nulls, rowCount: kept });
  }
}

/** Division rounding toward minus infinity, so windows before time 0 are as long as the others. */
function floorDiv(a, b) {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}
