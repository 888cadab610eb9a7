import type { StorageEngine } from '../../engine/storage-engine.js';
import type { LegacyPipeReceiver } from '../../pipe/receiver/legacy-pipe-receiver.js';
import type { TPipeTransferReq, TPipeTransferResp } from '../../protocol/rpc-types.js';
import type { UserStore } from '../auth/user-store.js';
import type { DelegatedStatementRunner } from '../execution/execution-context.js';

/** What the RPC service needs of the node; one instance shared by every connection. */
export interface NodeServices {
  readonly engine: StorageEngine;
  readonly users: UserStore;
  readonly version: string;
  readonly buildInfo: string;
  readonly frameBytesMax: number;
  /** The zone a session starts in when the client names none it can be read in. */
  readonly defaultTimeZone: string;
  /** Runs pipe statements (the pipe manager). */
  readonly pipeStatements: DelegatedStatementRunner;
  /** Answers `pipeTransfer` (the pipe receiver). */
  readonly pipeTransfer: (req: TPipeTransferReq, client: string) => Promise<TPipeTransferResp>;
  /** Answers the pre-1.2 sync protocol: `handshake`, `sendFile`, `sendPipeData` (the legacy pipe receiver). */
  readonly legacySync: Pick<LegacyPipeReceiver, 'handshake' | 'sendFile' | 'sendPipeData'>;
  /** A client connection ended (the pipe receivers forget its handshake). */
  readonly disconnected: (client: string) => void;
  readonly log: (message: string) => void;
  /** Hears the seconds each query statement took to its first page (metrics), when metrics are on. */
  readonly queryObserved?: (seconds: number) => void;
  nextSessionId(): bigint;
  nextQueryId(): bigint;
}
