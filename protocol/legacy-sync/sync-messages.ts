// Spec: protocol/FORMAT.md, section "Legacy sync" (handshake, sendFile and their answers).

import { PayloadError } from '../payload-error.js';
import { type TSyncIdentityInfo, type TSyncTransportMetaInfo, toI64 } from '../rpc-types.js';
import { LEGACY_SYNC_DATABASE } from './legacy-sync-format.js';

/**
 * The identity a legacy sender introduces itself with, as IoTDB 1.2/1.3's connector fills
 * it: its pipe's name and creation time, `connector.version`, and the whole tree (`root`)
 * as the database.
 */
export function syncIdentity(pipeName: string, createTime: number, version: string): TSyncIdentityInfo {
  return { pipeName, createTime: toI64(createTime), version, database: LEGACY_SYNC_DATABASE };
}

/** The meta of one `sendFile` piece: the file's base name and the offset of the piece in it. */
export function fileMeta(fileName: string, startIndex: number): TSyncTransportMetaInfo {
  return { fileName, startIndex: toI64(startIndex) };
}

/**
 * The message of a SYNC_FILE_REDIRECTION_ERROR answer: the offset the receiver expects
 * next, in decimal, and nothing else (senders parse the whole message as a number).
 */
export function redirectMessage(index: number): string {
  return String(index);
}

/** The offset a redirect answer names; a message that is not a decimal offset is a PayloadError. */
export function parseRedirectIndex(message: string | null | undefined): number {
  const text = (message ?? '').trim();
  const index = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(index)) {
    throw new PayloadError(`a file redirect names offset '${text.slice(0, 40)}', not a decimal offset`);
  }
  return index;
}
