import { flag } from '../pipe-definition.js';
import { PipeParameterError } from '../plugin/parameter-spec.js';

/**
 * Which data a pipe sends by where it was first written (its origin: '' for this node,
 * else the id of the node a pipe brought it from). Data never goes back to the node it
 * came from, so pipes in a cycle (A -> B -> A, A -> B -> C -> A) settle on their own;
 * with `forwarding-pipe-requests` false (IoTDB's way) data a pipe brought is not sent at all.
 */
export interface OriginFilter {
  /** `source.forwarding-pipe-requests`: send data that came through a pipe (to other nodes than its origin). */
  readonly forwarding: boolean;
  /** The receiving node's id, when its handshake said it. */
  readonly receiverId: () => string | undefined;
}

export function sendsOrigin(filter: OriginFilter, origin: string): boolean {
  if (origin === '') return true;
  return filter.forwarding && origin !== filter.receiverId();
}

/**
 * `source.forwarding-pipe-requests` (default true, as IoTDB) under
 * `source.mode.double-living` (IoTDB's preset for two-way sync, which turns forwarding off
 * and refuses it being asked for explicitly).
 */
export function forwardsPipeRequests(parameters: { get(name: string): string | null | undefined }): boolean {
  const forwarding = parameters.get('forwarding-pipe-requests');
  if (flag(parameters.get('mode.double-living'))) {
    if (flag(forwarding)) {
      throw new PipeParameterError(
        'forwarding-pipe-requests can not be specified to true when double living is enabled',
      );
    }
    return false;
  }
  return forwarding === null || forwarding === undefined || flag(forwarding);
}
