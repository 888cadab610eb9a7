import { describe, expect, it } from 'vitest';
import { parseStatement, type Statement } from '../../../server/sql/index.js';

const one = (sql: string): Statement => parseStatement(sql);

describe('CREATE PIPE', () => {
  it("reads IoTDB's quick-start statement", () => {
    expect(
      one(
        "create pipe a2b with connector ('connector'='iotdb-thrift-connector', 'connector.ip'='127.0.0.1', 'connector.port'='6668')",
      ),
    ).toEqual({
      kind: 'create-pipe',
      pipeName: 'a2b',
      ifNotExists: false,
      extractor: null,
      processor: null,
      connector: {
        word: 'connector',
        attributes: [
          ['connector', 'iotdb-thrift-connector'],
          ['connector.ip', '127.0.0.1'],
          ['connector.port', '6668'],
        ],
      },
    });
  });

  it('reads all three clauses, keeping order and the words used', () => {
    expect(
      one(`CREATE PIPE IF NOT EXISTS p1
        WITH SOURCE ('source.pattern'='root.sg', 'source.history.enable'='true',)
        WITH PROCESSOR ('processor'='do-nothing-processor')
        WITH SINK ('sink'='iotdb-thrift-sink', 'sink.node-urls'='127.0.0.1:6668')`),
    ).toEqual({
      kind: 'create-pipe',
      pipeName: 'p1',
      ifNotExists: true,
      extractor: {
        word: 'source',
        attributes: [
          ['source.pattern', 'root.sg'],
          ['source.history.enable', 'true'],
        ],
      },
      processor: { word: 'processor', attributes: [['processor', 'do-nothing-processor']] },
      connector: {
        word: 'sink',
        attributes: [
          ['sink', 'iotdb-thrift-sink'],
          ['sink.node-urls', '127.0.0.1:6668'],
        ],
      },
    });
  });

  it('accepts empty lists, EXTRACTOR and double-quoted strings', () => {
    expect(one('create pipe p with extractor () with connector ("connector"="iotdb-thrift-connector")')).toMatchObject({
      extractor: { word: 'extractor', attributes: [] },
      connector: { word: 'connector', attributes: [['connector', 'iotdb-thrift-connector']] },
    });
  });

  it('keeps duplicate keys for the pipe layer to judge', () => {
    expect(one("create pipe p with sink ('a'='1', 'a'='2')")).toMatchObject({
      connector: {
        attributes: [
          ['a', '1'],
          ['a', '2'],
        ],
      },
    });
  });

  it('needs a connector clause and commas between attributes', () => {
    expect(() => one("create pipe p with source ('a'='b')")).toThrow(
      "line 1:35 mismatched input '<EOF>' expecting WITH",
    );
    expect(() => one("create pipe p with sink ('a'='b' 'c'='d')")).toThrow(
      "line 1:33 mismatched input ''c'' expecting ','",
    );
    expect(() => one('create pipe p with sink (a=b)')).toThrow("line 1:25 mismatched input 'a' expecting");
  });
});

describe('pipe control', () => {
  it('starts, stops and drops pipes', () => {
    expect(one('START PIPE a2b')).toEqual({ kind: 'start-pipe', pipeName: 'a2b' });
    expect(one('stop pipe a2b')).toEqual({ kind: 'stop-pipe', pipeName: 'a2b' });
    expect(one('DROP PIPE a2b')).toEqual({ kind: 'drop-pipe', pipeName: 'a2b', ifExists: false });
    expect(one('drop pipe if exists `my pipe`')).toEqual({ kind: 'drop-pipe', pipeName: 'my pipe', ifExists: true });
  });

  it('shows pipes in every form', () => {
    expect(one('SHOW PIPES')).toEqual({ kind: 'show-pipes', pipeName: null, connectorUsedBy: null });
    expect(one('show pipe a2b')).toEqual({ kind: 'show-pipes', pipeName: 'a2b', connectorUsedBy: null });
    expect(one('SHOW PIPES WHERE CONNECTOR USED BY a2b')).toEqual({
      kind: 'show-pipes',
      pipeName: null,
      connectorUsedBy: 'a2b',
    });
    expect(one('show pipes where sink used by a2b')).toMatchObject({ connectorUsedBy: 'a2b' });
    expect(one('show pipes progress')).toEqual({
      kind: 'show-pipes',
      pipeName: null,
      connectorUsedBy: null,
      progress: true,
    });
    expect(one('SHOW PIPES PROGRESS WHERE SINK USED BY a2b')).toMatchObject({ progress: true, connectorUsedBy: 'a2b' });
    // PROGRESS is not reserved: a pipe may be named so.
    expect(one('show pipe progress')).toEqual({ kind: 'show-pipes', pipeName: 'progress', connectorUsedBy: null });
  });
});

describe('pipe plugins', () => {
  it('shows, creates and drops plugins', () => {
    expect(one('SHOW PIPEPLUGINS')).toEqual({ kind: 'show-pipeplugins' });
    expect(one("CREATE PIPEPLUGIN my_proc AS 'org.example.MyProcessor' USING URI 'file:///tmp/p.jar'")).toEqual({
      kind: 'create-pipeplugin',
      pluginName: 'my_proc',
      ifNotExists: false,
      className: 'org.example.MyProcessor',
      uri: 'file:///tmp/p.jar',
    });
    expect(one("create pipeplugin if not exists p as 'C' using uri 'u'")).toMatchObject({ ifNotExists: true });
    expect(one('DROP PIPEPLUGIN my_proc')).toEqual({ kind: 'drop-pipeplugin', pluginName: 'my_proc', ifExists: false });
    expect(one('drop pipeplugin if exists my_proc')).toMatchObject({ ifExists: true });
  });

  it('needs a URI', () => {
    expect(() => one("create pipeplugin p as 'C'")).toThrow("line 1:26 mismatched input '<EOF>' expecting USING");
  });
});
