import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../../protocol/payload-error.js';
import { decodePipeTransferReq } from '../../../protocol/pipe/pipe-requests.js';
import { planRow, planTabletNode, request, T, WAL, walRow, walTabletEntry } from './insert-node-bytes.js';
import { JavaDataOutput } from './java-data-output.js';

// Insert nodes that do not follow their layout: every one must end in a PayloadError
// (ILLEGAL_PARAMETER, 303) that says what is wrong, never in a crash, a read past the end
// or an allocation sized by a lying count.

function bytes(build: (o: JavaDataOutput) => void): Buffer {
  const o = new JavaDataOutput();
  build(o);
  return o.toBuffer();
}

function failure(type: number, body: Buffer): PayloadError {
  try {
    decodePipeTransferReq({ version: 1, type, body });
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).statusCode).toBe(303);
    return error as PayloadError;
  }
  throw new Error(`type ${type} body ${body.toString('hex')} was accepted`);
}

const VALID: [string, number, Buffer][] = [
  ['plan-form tablet node', 2, request(2, (o) => planTabletNode(o, 'root.sg.d', false)).body],
  ['WAL tablet entry', 7, request(7, (o) => walTabletEntry(o, 'root.sg.d', true)).body],
  [
    'plan-form rows node',
    2,
    bytes((o) => {
      o.short(15).int(1);
      planRow(o, 'root.sg.r', 1n, false);
      o.int(0).string('0').int(0);
    }),
  ],
  [
    'WAL row entry',
    7,
    bytes((o) => {
      o.byte(WAL.INSERT_ROW_NODE).long(0n).short(14).long(0n);
      walRow(o, 'root.sg.r', 1n, false);
    }),
  ],
];

describe('malformed insert nodes', () => {
  it.each(VALID)('refuses every truncation of a %s', (_, type, body) => {
    for (let n = 0; n < body.length; n++) failure(type, body.subarray(0, n));
  });

  it.each(VALID)('refuses bytes after a %s', (_, type, body) => {
    expect(failure(type, Buffer.concat([body, Buffer.of(0)])).message).toContain('1 bytes after the body');
  });

  it('refuses a negative or lying measurement count without allocating for it', () => {
    const negative = bytes((o) => o.short(13).string('root.d').int(-1).byte(0));
    expect(failure(2, negative).message).toBe(
      'pipe request TRANSFER_TABLET_INSERT_NODE (2): insert tablet node of root.d: measurements: count -1 at offset 12 cannot fit in the 1 bytes left',
    );
    const huge = bytes((o) => o.short(13).string('root.d').int(0x7fffffff).byte(0));
    expect(failure(2, huge).message).toContain('measurements: count 2147483647');
  });

  it('refuses a row count the body cannot hold', () => {
    const body = bytes((o) => o.short(13).string('root.d').int(1).byte(0).string('s').byte(T.INT32).int(0x10000000));
    expect(failure(2, body).message).toContain('insert tablet node of root.d: row count 268435456 cannot fit');
    const negative = bytes((o) => o.short(13).string('root.d').int(0).byte(0).int(-3));
    expect(failure(2, negative).message).toContain('row count -3 cannot fit');
  });

  it('names an unknown or non-insert plan node type', () => {
    expect(
      failure(
        2,
        bytes((o) => o.short(99)),
      ).message,
    ).toBe('pipe request TRANSFER_TABLET_INSERT_NODE (2): expected an insert node, got plan node type 99');
    expect(
      failure(
        2,
        bytes((o) => o.short(44)),
      ).message,
    ).toContain('expected an insert node, got DELETE_DATA (44)');
    expect(
      failure(
        7,
        bytes((o) => o.byte(WAL.DELETE_DATA_NODE).long(0n).short(44)),
      ).message,
    ).toContain('WAL entry holds DELETE_DATA (44), not an insert node IoTDB logs');
    expect(
      failure(
        7,
        bytes((o) => o.byte(WAL.INSERT_TABLET_NODE).long(0n).short(17)),
      ).message,
    ).toContain('WAL entry holds INSERT_MULTI_TABLET (17)');
  });

  it('refuses unknown data type codes, VECTOR included', () => {
    for (const code of [6, 7, 12, 255]) {
      const body = bytes((o) => o.short(13).string('root.d').int(1).byte(0).string('s').byte(code).int(0).byte(0));
      expect(failure(2, body).message).toContain(
        `insert tablet node of root.d: data type of column 0: unknown data type code ${code}`,
      );
    }
    const row = bytes((o) => o.short(14).long(1n).string('root.d').int(1).byte(0).string('s').byte(-4));
    expect(failure(2, row).message).toContain('value of s: unknown data type code -4');
  });

  it('refuses flag bytes other than 0 and 1', () => {
    const body = bytes((o) =>
      o.short(13).string('root.d').int(1).byte(0).string('s').byte(T.INT32).int(1).long(1n).byte(2),
    );
    expect(failure(2, body).message).toContain('bitmap flag: flag byte 2');
  });

  it('refuses a row value still to be typed (raw text)', () => {
    const body = bytes((o) => o.short(14).long(1n).string('root.d').int(1).byte(0).string('s').byte(-1).string('12'));
    expect(failure(2, body).message).toContain('value of s is text whose type is still to be inferred');
  });

  it('refuses a text value whose length runs past the end', () => {
    const body = bytes((o) => {
      o.short(13).string('root.d').int(1).byte(0).string('s').byte(T.TEXT).int(2).long(1n).long(2n).byte(0);
      o.int(1).raw(Uint8Array.of(0x61)).int(1000);
    });
    expect(failure(2, body).message).toContain('column s: value 1 claims 1000 bytes');
  });

  it('refuses an insert node with children', () => {
    const body = bytes((o) => {
      o.short(14);
      planRow(o, 'root.d', 1n, false);
      o.string('0').int(1);
    });
    expect(failure(2, body).message).toContain('INSERT_ROW (14): 1 child nodes, but this node has none');
  });

  it('keeps a batch binary item within its length', () => {
    // The item says 12 bytes: the header, the node type and one byte of the search index; the
    // bytes after the item must not be read as the rest of it.
    const body = bytes((o) => {
      o.int(1).int(12).byte(WAL.INSERT_TABLET_NODE).long(0n).short(13).byte(0).int(1000).raw(new Uint8Array(1000));
    });
    expect(failure(6, body).message).toContain(
      'binary tablet 0: insert tablet node: search index: needs 8 bytes at offset 19, 1 left',
    );
    const longer = bytes((o) => {
      o.int(1).item((w) => {
        w.byte(WAL.INSERT_ROW_NODE).long(0n).short(14).long(0n);
        walRow(w, 'root.d', 1n, false);
        w.byte(0);
      });
      o.int(0).int(0);
    });
    expect(failure(6, longer).message).toContain('binary tablet 0: 1 bytes after the entry');
    const lying = bytes((o) => o.int(1).int(50).raw(new Uint8Array(10)));
    expect(failure(6, lying).message).toContain('binary tablet 0: length 50 at offset 4 but 10 bytes follow');
  });

  it('names the batch insert node that fails', () => {
    const body = bytes((o) =>
      o
        .int(0)
        .int(2)
        .with((w) => planTabletNode(w, 'root.ok', false))
        .short(99)
        .int(0),
    );
    expect(failure(6, body).message).toBe(
      'pipe request TRANSFER_TABLET_BATCH (6): insert node 1: expected an insert node, got plan node type 99',
    );
  });

  it('answers random bodies with a decoded request or a PayloadError, nothing else', () => {
    const seeds = VALID.map(([, , body]) => body);
    fc.assert(
      fc.property(
        fc.constantFrom(2, 6, 7, 100),
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        (type, seed, flips) => {
          const body = Buffer.from(seed);
          for (const [at, value] of flips) body[at % body.length] = value;
          try {
            decodePipeTransferReq({ version: 1, type, body });
          } catch (error) {
            if (!(error instanceof PayloadError)) throw error;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
