import { EngineError, StatusCode } from '../../engine/errors.js';
import { parsePath } from '../../engine/path/path.js';
import type { StorageEngine } from '../../engine/storage-engine.js';
import { TsFileReader } from '../../tsfile/read/tsfile-reader.js';

/**
 * The privileges a receiver checks: writing points, and creating or dropping series (on
 * paths), and creating or dropping databases (global).
 */
export type WritePrivilege = 'WRITE_DATA' | 'WRITE_SCHEMA' | 'MANAGE_DATABASE';

/**
 * The node's users as the pipe receivers see them. A sender logs in once per connection
 * at its handshake; every request on that connection then runs as that user.
 */
export interface ReceiverAuth {
  /**
   * Whether a sender that sends no credentials (IoTDB 1.2's handshake, a 1.3 handshake
   * without a user, the pre-1.2 sync protocol without a session) is served, as the
   * super user.
   */
  readonly allowAnonymous: boolean;
  /** The user anonymous senders run as. */
  readonly anonymousUser: string;
  /** Null when the password is right; otherwise the refusal (IoTDB's 801 and its message). */
  login(user: string, password: string): Promise<{ code: number; message: string } | null>;
  /** True for a user that holds every privilege (the checks are skipped). */
  unrestricted(user: string): boolean;
  /** Null when `user` holds `privilege` on every path; otherwise IoTDB's 803 message naming the paths. */
  denied(user: string, privilege: WritePrivilege, paths: readonly (readonly string[])[]): string | null;
}

/** Serves every sender as the super user: the engine-only receivers of tests and embedders. */
export const OPEN_RECEIVER: ReceiverAuth = {
  allowAnonymous: true,
  anonymousUser: 'root',
  login: async () => null,
  unrestricted: () => true,
  denied: () => null,
};

/** The refusal of an anonymous sender, naming the setting that would let it in. */
export const ANONYMOUS_REFUSED =
  'Authentication failed: this receiver serves only senders that log in (IoTDB 1.3.3+ sinks send sink.user and ' +
  'sink.password); set pipe_receiver_allow_anonymous=true to serve older senders as root';

/** The refusal of a pre-1.2 sync handshake on a connection that has not logged in. */
export const LEGACY_ANONYMOUS_REFUSED =
  'Authentication failed: this receiver serves the pre-1.2 sync protocol only on a connection that has opened a ' +
  'session (openSession) first; set pipe_receiver_allow_anonymous=true to serve it as root';

function check(auth: ReceiverAuth, user: string, privilege: WritePrivilege, paths: readonly (readonly string[])[]) {
  if (paths.length === 0) return;
  const denied = auth.denied(user, privilege, paths);
  if (denied !== null) throw new EngineError(StatusCode.NO_PERMISSION, denied);
}

/** WRITE_DATA on every written series, and WRITE_SCHEMA on those the write would create. */
export function checkSeriesWrite(
  auth: ReceiverAuth,
  user: string,
  engine: StorageEngine,
  devices: Iterable<{ readonly device: string; readonly measurements: readonly string[] }>,
): void {
  if (auth.unrestricted(user)) return;
  const data: string[][] = [];
  const schema: string[][] = [];
  for (const { device, measurements } of devices) {
    const nodes = parsePath(device);
    const known = engine.schema.device(device)?.measurements;
    for (const m of measurements) {
      data.push([...nodes, m]);
      if (known?.get(m) === undefined) schema.push([...nodes, m]);
    }
  }
  check(auth, user, 'WRITE_DATA', data);
  check(auth, user, 'WRITE_SCHEMA', schema);
}

/** A deletion needs WRITE_DATA on its patterns. */
export function checkDeletion(auth: ReceiverAuth, user: string, patterns: readonly string[]): void {
  checkPatterns(auth, user, 'WRITE_DATA', patterns);
}

function checkPatterns(auth: ReceiverAuth, user: string, privilege: WritePrivilege, patterns: readonly string[]): void {
  if (auth.unrestricted(user)) return;
  check(
    auth,
    user,
    privilege,
    patterns.map((p) => parsePath(p, true)),
  );
}

/** Creating or dropping series needs WRITE_SCHEMA on their paths (patterns). */
export function checkSchemaWrite(auth: ReceiverAuth, user: string, patterns: readonly string[]): void {
  checkPatterns(auth, user, 'WRITE_SCHEMA', patterns);
}

/** Creating or dropping a database needs the global MANAGE_DATABASE. */
export function checkManageDatabase(auth: ReceiverAuth, user: string): void {
  if (auth.unrestricted(user)) return;
  check(auth, user, 'MANAGE_DATABASE', [['root', '**']]);
}

/** Loading a TsFile writes every series in it: the privileges are checked on its schema first. */
export function checkFileWrite(auth: ReceiverAuth, user: string, engine: StorageEngine, path: string): void {
  if (auth.unrestricted(user)) return;
  let reader: TsFileReader;
  try {
    reader = TsFileReader.open(path);
  } catch {
    return; // Not a TsFile: the load refuses it with its own message.
  }
  try {
    const devices = reader.schema().map((d) => ({ device: d.device, measurements: d.measurements.map((m) => m.name) }));
    checkSeriesWrite(auth, user, engine, devices);
  } finally {
    reader.close();
  }
}
