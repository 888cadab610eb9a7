import { describe, expect, it } from 'vitest';
import { alterClauses } from '../../../pipe/pipe-definition.js';
import { parseStatement } from '../../../server/sql/index.js';

describe('ALTER PIPE', () => {
  it('reads IoTDB’s grammar: IF EXISTS, MODIFY or REPLACE of each clause, in its order', () => {
    expect(
      parseStatement(`ALTER PIPE IF EXISTS p1
        MODIFY SOURCE ('source.pattern'='root.sg')
        REPLACE PROCESSOR ('processor'='do-nothing-processor',)
        modify sink ('sink.port'='6669')`),
    ).toEqual({
      kind: 'alter-pipe',
      pipeName: 'p1',
      ifExists: true,
      extractor: { mode: 'modify', word: 'source', attributes: [['source.pattern', 'root.sg']] },
      processor: { mode: 'replace', word: 'processor', attributes: [['processor', 'do-nothing-processor']] },
      connector: { mode: 'modify', word: 'sink', attributes: [['sink.port', '6669']] },
    });
    expect(parseStatement("alter pipe p replace connector ('connector'='do-nothing-connector')")).toMatchObject({
      kind: 'alter-pipe',
      ifExists: false,
      extractor: null,
      processor: null,
      connector: { mode: 'replace', word: 'connector' },
    });
    expect(parseStatement("alter pipe p modify extractor ('extractor.pattern'='root.a')")).toMatchObject({
      extractor: { mode: 'modify', word: 'extractor' },
    });
  });

  it('refuses clauses out of IoTDB’s order', () => {
    expect(() => parseStatement("alter pipe p modify sink ('a'='b') modify source ('c'='d')")).toThrow();
  });

  it('MODIFY sets the keys it names whatever their spelling and keeps the others; REPLACE swaps the clause', () => {
    const clauses = {
      extractor: [['source.pattern', 'root.a'] as const],
      processor: [],
      connector: [
        ['connector', 'iotdb-thrift-connector'],
        ['connector.ip', '127.0.0.1'],
        ['connector.port', '6668'],
      ] as const,
    };
    const modified = alterClauses(clauses, {
      extractor: null,
      processor: null,
      connector: {
        mode: 'modify',
        attributes: [
          ['SINK.PORT', '6669'],
          ['sink.batch.enable', 'true'],
          ['sink', 'iotdb-thrift-async-sink'],
        ],
      },
    });
    expect(modified.connector).toEqual([
      ['sink', 'iotdb-thrift-async-sink'],
      ['connector.ip', '127.0.0.1'],
      ['SINK.PORT', '6669'],
      ['sink.batch.enable', 'true'],
    ]);
    expect(modified.extractor).toBe(clauses.extractor);
    const replaced = alterClauses(clauses, {
      extractor: { mode: 'replace', attributes: [] },
      processor: null,
      connector: null,
    });
    expect(replaced.extractor).toEqual([]);
    expect(replaced.connector).toBe(clauses.connector);
  });
});
