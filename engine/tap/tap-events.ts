import type { Tablet } from '../../tsfile/tablet.js';
import type { TsFileResource } from '../storage/tsfile-resource.js';

/** What pipes consume: every accepted write and deletion, and every sealed file, in order. */
export type TapEvent =
  | {
      readonly kind: 'insert';
      readonly arrival: number;
      readonly arrivalTime: number;
      readonly database: string;
      readonly tablet: Tablet;
    }
  | {
      readonly kind: 'delete';
      readonly arrival: number;
      readonly arrivalTime: number;
      readonly pattern: string;
      readonly start: bigint;
      readonly end: bigint;
    }
  | { readonly kind: 'tsfile-sealed'; readonly resource: TsFileResource };

export type TapListener = (event: TapEvent) => void;
