// Spec: protocol/FORMAT.md, section "Legacy sync".

/** The first byte of a serialized PipeData (`sendPipeData`): which variant follows. */
export const PipeDataType = {
  TSFILE: 0,
  DELETION: 1,
} as const;

export type PipeDataType = (typeof PipeDataType)[keyof typeof PipeDataType];

/**
 * The serial number IoTDB 1.2/1.3's legacy connector writes into every PipeData: the
 * connector keeps no sequence of its own, and receivers only log the number.
 */
export const SERIAL_NUMBER_NONE = -1n;

/**
 * The protocol version of the pre-1.2 sync (IoTDB 1.1's), which `connector.version`
 * defaults to and which a receiver compares by major version (`1.1` of `1.1.2`).
 */
export const LEGACY_SYNC_VERSION = '1.1';

/** The database IoTDB 1.2/1.3's legacy connector names in its handshake: the whole tree. */
export const LEGACY_SYNC_DATABASE = 'root';

/**
 * The major version of a version text as IoTDB compares them: its first two dot-separated
 * parts (`1.1` of `1.1.2`, `1.1` of `1.1`). A text with fewer parts has none (null), so it
 * matches no version.
 */
export function majorVersion(version: string): string | null {
  const parts = version.trim().split('.');
  if (parts.length < 2 || parts[0] === '' || parts[1] === '') return null;
  return `${parts[0]}.${parts[1]}`;
}
