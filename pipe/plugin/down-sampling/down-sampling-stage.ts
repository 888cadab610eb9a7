import type { TPipeTransferReq } from '../../../protocol/rpc-types.js';
import { pickRows } from '../../../tsfile/column-ops.js';
import { type ColumnValues, DataType } from '../../../tsfile/data-type.js';
import type { Tablet } from '../../../tsfile/tablet.js';
import {
  type PipeConnector,
  type PipeDeletion,
  type PipeSchemaPlan,
  transferConfigPlanThrough,
  transferSchemaVia,
} from '../../connector/pipe-connector.js';
import { tsFileTablets } from '../tsfile-tablets.js';
import type { SampleValue, SeriesSampler } from './series-sampler.js';
import { SeriesStateCache } from './series-state-cache.js';

export interface DownSamplingOptions<S> {
  readonly sampler: SeriesSampler<S>;
  /** `processor.down-sampling.split-file`: read history files into tablets and sample them too. */
  readonly splitFile: boolean;
  /** `processor.down-sampling.memory-limit-in-bytes`. */
  readonly memoryBytesMax: number;
}

const latin1 = new TextDecoder('latin1');

/** A cell as the samplers compare it (see SampleValue). */
function sampleValue(type: DataType, column: ColumnValues, row: number): SampleValue {
  switch (type) {
    case DataType.BOOLEAN:
    case DataType.DATE:
      return String((column as Uint8Array | Int32Array)[row]);
    case DataType.INT64:
    case DataType.TIMESTAMP:
      return Number((column as BigInt64Array)[row]);
    case DataType.INT32:
    case DataType.FLOAT:
    case DataType.DOUBLE:
      return (column as Int32Array | Float32Array | Float64Array)[row]!;
    default:
      return latin1.decode((column as Uint8Array[])[row]!);
  }
}

/**
 * A built-in down-sampling processor in front of a connector: every tablet is sampled row
 * by row, series by series, with the series' state kept across tablets; rows with no kept
 * point are dropped and what is left goes on as one tablet (nothing at all when no row is
 * left). History files go on whole unless `splitFile`, as IoTDB does (a sealed file is
 * already compressed, so sampling it costs CPU for little gain); deletions pass unchanged.
 *
 * Sampling happens when a transfer is submitted, so the order of submission (the pipe's
 * order) is the order the samplers see, while the transfers themselves may overlap as the
 * connector allows.
 */
export class DownSamplingStage<S> implements PipeConnector {
  private readonly states: SeriesStateCache<S>;

  constructor(
    private readonly downstream: PipeConnector,
    private readonly options: DownSamplingOptions<S>,
  ) {
    this.states = new SeriesStateCache(options.memoryBytesMax);
  }

  get inFlightMax(): number | undefined {
    return this.downstream.inFlightMax;
  }

  get filesInFlightMax(): number | undefined {
    return this.options.splitFile ? 1 : this.downstream.filesInFlightMax;
  }

  handshake(): Promise<void> {
    return this.downstream.handshake();
  }

  transferTablet(tablet: Tablet, origin?: string): Promise<void> {
    const sampled = this.sample(tablet);
    return sampled === null ? Promise.resolve() : this.downstream.transferTablet(sampled, origin);
  }

  async transferFile(path: string, origin?: string): Promise<void> {
    if (!this.options.splitFile) return this.downstream.transferFile(path, origin);
    for (const tablet of tsFileTablets(path)) {
      const sampled = this.sample(tablet);
      if (sampled !== null) await this.downstream.transferTablet(sampled, origin);
    }
  }

  /** A config plan (users) is no event of the processor's: it goes on to the sink. */
  transferConfigPlan(req: TPipeTransferReq, what: string): Promise<void> {
    return transferConfigPlanThrough(this.downstream, req, what);
  }

  transferDeletion(deletion: PipeDeletion, origin?: string): Promise<void> {
    return this.downstream.transferDeletion(deletion, origin);
  }

  /** Schema changes pass untouched: the series are the same, only their points are fewer. */
  transferSchema(plan: PipeSchemaPlan, origin?: string): Promise<void> {
    return transferSchemaVia(this.downstream, plan, origin);
  }

  close(): void {
    this.downstream.close();
  }

  /** The rows of `tablet` with a kept point (and, unless whole rows go on, only those points); null when none. */
  sample(tablet: Tablet): Tablet | null {
    const { sampler } = this.options;
    const n = tablet.rowCount;
    const keptRows = new Uint8Array(n);
    const dropped: (Uint8Array | null)[] = [];
    for (let j = 0; j < tablet.measurements.length; j++) {
      const key = `${tablet.device}\u0000${tablet.measurements[j]}`;
      const nulls = tablet.nulls[j] ?? null;
      const column = tablet.columns[j]!;
      const type = tablet.dataTypes[j]!;
      let state = this.states.get(key);
      let droppedHere: Uint8Array | null = null;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] === 1) continue;
        const time = tablet.times[i]!;
        const value = sampler.comparesValues ? sampleValue(type, column, i) : 0;
        if (state === undefined) {
          state = sampler.first(time, value);
          this.states.set(key, state);
          keptRows[i] = 1;
        } else if (sampler.keep(state, time, value)) keptRows[i] = 1;
        else if (!sampler.wholeRows) {
          droppedHere ??= new Uint8Array(n);
          droppedHere[i] = 1;
        }
      }
      dropped.push(droppedHere);
    }
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (keptRows[i] === 1) rows.push(i);
    if (rows.length === 0) return null;
    if (rows.length === n && dropped.every((d) => d === null)) return tablet;
    return {
      ...tablet,
      times: pickRows(tablet.times, rows) as BigInt64Array,
      columns: tablet.columns.map((c) => pickRows(c, rows)),
      nulls: tablet.nulls.map((original, j) => {
        const gone = dropped[j] ?? null;
        if (original === null && gone === null) return null;
        const out = new Uint8Array(rows.length);
        for (let k = 0; k < rows.length; k++) {
          const i = rows[k]!;
          out[k] = original?.[i] === 1 || gone?.[i] === 1 ? 1 : 0;
        }
        return out;
      }),
      rowCount: rows.length,
    };
  }
}
