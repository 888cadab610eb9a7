import { describe, expect, it } from 'vitest';
import { majorVersion } from '../../../protocol/legacy-sync/legacy-sync-format.js';
import { decodePipeData, encodePipeData, type LegacyPipeData } from '../../../protocol/legacy-sync/pipe-data-codec.js';
import { fileMeta, parseRedirectIndex, syncIdentity } from '../../../protocol/legacy-sync/sync-messages.js';
import { PayloadError } from '../../../protocol/payload-error.js';
import {
  type ClientRpcClient,
  ClientRpcService,
  TBinaryProtocol,
  TFramedTransport,
} from '../../../protocol/rpc-types.js';
import { hex } from '../hex.js';

// Bytes written out by hand in the order IoTDB's PipeData.serialize writes them: a type
// byte, the serial number (DataOutputStream.writeLong), then ReadWriteIOUtils strings
// (int32 length + UTF-8) and longs.

const FILE_NAME = '1700000000000-1-0-0.tsfile';

/** What IoTDB 1.2/1.3's legacy connector sends after the pieces of a file: TsFilePipeData("", name, -1). */
const TSFILE_PIPE_DATA = hex(`
  00                                 # type TSFILE
  ffffffffffffffff                   # serial number -1
  00000000                           # parent directory "" (read back as null, then "")
  0000001a ${Buffer.from(FILE_NAME).toString('hex')}   # file name
`);

/** A deletion as IoTDB 1.1's sender wrote it: DeletionPipeData(database, Deletion(path, start, end), serial). */
const DELETION_PIPE_DATA = hex(`
  01                                 # type DELETION
  0000000000000007                   # serial number 7
  00000007 726f6f742e7367            # database "root.sg"
  0000000000000002                   # start time 2
  0000000000000005                   # end time 5
  0000000c 726f6f742e73672e642e2a2a  # path "root.sg.d.**"
`);

describe('legacy sync PipeData', () => {
  it("reads IoTDB's TsFile PipeData and writes the same bytes", () => {
    const data: LegacyPipeData = { kind: 'tsfile', serialNumber: -1n, parentDirPath: '', fileName: FILE_NAME };
    expect(decodePipeData(TSFILE_PIPE_DATA)).toEqual(data);
    expect(encodePipeData(data).toString('hex')).toBe(TSFILE_PIPE_DATA.toString('hex'));
  });

  it("reads IoTDB's deletion PipeData and writes the same bytes", () => {
    const data: LegacyPipeData = {
      kind: 'deletion',
      serialNumber: 7n,
      database: 'root.sg',
      path: 'root.sg.d.**',
      start: 2n,
      end: 5n,
    };
    expect(decodePipeData(DELETION_PIPE_DATA)).toEqual(data);
    expect(encodePipeData(data).toString('hex')).toBe(DELETION_PIPE_DATA.toString('hex'));
  });

  it('FORMAT.md example: the TsFile PipeData after the pieces of a.tsfile', () => {
    const bytes = encodePipeData({ kind: 'tsfile', serialNumber: -1n, parentDirPath: '', fileName: 'a.tsfile' });
    expect(bytes.toString('hex')).toBe(hex('00 ffffffffffffffff 00000000 00000008 612e747366696c65').toString('hex'));
  });

  it("writes a null database as Java's null string and reads it back", () => {
    const data: LegacyPipeData = {
      kind: 'deletion',
      serialNumber: -1n,
      database: null,
      path: 'root.a.`b.c`',
      start: -9223372036854775808n,
      end: 9223372036854775807n,
    };
    const bytes = encodePipeData(data);
    expect(bytes.toString('hex')).toBe(
      hex(`
        01 ffffffffffffffff
        ffffffff                              # database null
        8000000000000000 7fffffffffffffff     # Long.MIN_VALUE .. Long.MAX_VALUE
        0000000c 726f6f742e612e60622e6360     # "root.a.\`b.c\`"
      `).toString('hex'),
    );
    expect(decodePipeData(bytes)).toEqual(data);
  });

  it('reads a parent directory the sender did send, and Java null (-1) as empty', () => {
    const named = hex(`00 0000000000000003 00000004 2f746d70 00000001 66`);
    expect(decodePipeData(named)).toMatchObject({ serialNumber: 3n, parentDirPath: '/tmp', fileName: 'f' });
    const nullDir = hex(`00 0000000000000003 ffffffff 00000001 66`);
    expect(decodePipeData(nullDir)).toMatchObject({ parentDirPath: '', fileName: 'f' });
  });

  const corrupt: [string, string, RegExp][] = [
    ['empty', '', /pipe data is empty/],
    ['an unknown type', '02 0000000000000001', /unknown pipe data type 2/],
    ['a truncated serial number', '00 00000000', /serial number: needs 8 bytes at offset 1, 4 left/],
    [
      'a file name longer than the bytes',
      '00 ffffffffffffffff 00000000 00000010 6162',
      /file name: length 16 at offset 13/,
    ],
    ['no file name (length 0)', '00 ffffffffffffffff 00000000 00000000', /file name is missing/],
    ['no file name (Java null)', '00 ffffffffffffffff 00000000 ffffffff', /file name is missing/],
    ['a negative length other than -1', '00 ffffffffffffffff fffffffe 00000001 66', /parent directory: length -2/],
    ['bytes after the file name', '00 ffffffffffffffff 00000000 00000001 66 00', /ends at offset 18 but 1 more bytes/],
    ['a deletion without its end time', '01 ffffffffffffffff ffffffff 0000000000000001', /end time: needs 8 bytes/],
    [
      'a deletion without a path',
      '01 ffffffffffffffff ffffffff 0000000000000001 0000000000000002 00000000',
      /path is missing/,
    ],
  ];
  for (const [what, bytes, message] of corrupt) {
    it(`refuses ${what} with a PayloadError`, () => {
      let error: unknown;
      try {
        decodePipeData(hex(bytes));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PayloadError);
      expect((error as Error).message).toMatch(message);
    });
  }
});

describe('legacy sync messages', () => {
  it("sends a file piece as IoTDB's sendFile call: meta struct as field 1, the bytes as field 2", () => {
    const message = capture((client) => client.sendFile(fileMeta('f.tsfile', 4096), Buffer.from('abc')));
    expect(message.toString('hex')).toBe(
      hex(`
        80010001 00000008 73656e6446696c65 00000001   # CALL "sendFile" seqid 1
        0c 0001                                       # field 1: struct TSyncTransportMetaInfo
        0b 0001 00000008 662e747366696c65             #   1: fileName "f.tsfile"
        0a 0002 0000000000001000                      #   2: startIndex 4096
        00                                            #   stop
        0b 0002 00000003 616263                       # field 2: binary buff
        00                                            # stop
      `).toString('hex'),
    );
  });

  it('sends PipeData as the one binary field of sendPipeData', () => {
    const message = capture((client) => client.sendPipeData(Buffer.from([0, 1])));
    expect(message.toString('hex')).toBe(
      hex(`
        80010001 0000000c 73656e645069706544617461 00000001   # CALL "sendPipeData" seqid 1
        0b 0001 00000002 0001                                 # field 1: binary buff
        00
      `).toString('hex'),
    );
  });

  it("introduces a pipe as IoTDB's legacy connector does: the whole tree as the database", () => {
    expect(syncIdentity('p', 1700000000000, '1.1')).toEqual({
      pipeName: 'p',
      createTime: 1700000000000,
      version: '1.1',
      database: 'root',
    });
  });

  it('reads the offset of a redirect answer, and refuses one that is not a decimal offset', () => {
    expect(parseRedirectIndex('0')).toBe(0);
    expect(parseRedirectIndex('8388608')).toBe(8388608);
    for (const bad of ['', '-1', '1e3', '12 bytes', null, '99999999999999999999']) {
      expect(() => parseRedirectIndex(bad)).toThrow(PayloadError);
    }
  });

  it("compares versions by IoTDB's major version (the first two parts)", () => {
    expect(majorVersion('1.1')).toBe('1.1');
    expect(majorVersion('1.1.2')).toBe('1.1');
    expect(majorVersion(' 1.3.0-SNAPSHOT ')).toBe('1.3');
    for (const none of ['', '1', 'UNKNOWN', '.1', '1.']) expect(majorVersion(none)).toBeNull();
  });
});

/** The framed message a client call writes (binary protocol), without the 4-byte length. */
function capture(call: (client: ClientRpcClient) => Promise<unknown>): Buffer {
  let framed: Buffer | undefined;
  const transport = new TFramedTransport(undefined, (out?: Buffer) => {
    framed = out;
  });
  void call(new ClientRpcService.Client(transport, TBinaryProtocol)).catch(() => {});
  return framed!.subarray(4);
}
