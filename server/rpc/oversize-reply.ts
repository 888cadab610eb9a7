import type { FrameTooLargeError } from '../../protocol/frame-decoder.js';
import { detectThriftProtocol } from '../../protocol/frame-decoder.js';
import type { FramedMessage } from '../../protocol/framed-writer.js';
import type { ClientRpcHandler, ProtocolClass, TSStatus } from '../../protocol/rpc-types.js';
import {
  ClientRpcService,
  processRpcFrame,
  SERVED_METHODS,
  TBinaryProtocol,
  TCompactProtocol,
  TFramedTransport,
  Thrift,
  toI64,
  wrapRpcHandler,
} from '../../protocol/rpc-types.js';

/**
 * One reply value every served method can be answered with: the generated result structs
 * copy the fields they know, so it reads as a TSStatus for the methods that return one and
 * as a response whose `status` is set (required companions filled) for the others.
 */
function universalReply(status: TSStatus): unknown {
  return {
    ...status,
    status,
    hasResultSet: false,
    isAlign: true,
    moreData: false,
    serverProtocolVersion: 2,
    timeZone: '',
  };
}

/**
 * Answers a call whose frame was over the size limit with status THRIFT_FRAME_OVERSIZE
 * (308) in that method's normal reply, so the client learns why instead of seeing the
 * connection drop. Only the message head was kept: the call is re-created without
 * arguments and run through a processor whose every method answers with the status.
 * Returns false when the head cannot be read as a call (the connection should be closed).
 */
export function answerOversizedCall(error: FrameTooLargeError, reply: (message: FramedMessage) => void): boolean {
  return answerCallWithStatus(
    error.head,
    (fname) => ({
      code: error.statusCode,
      message: `Frame size (${error.frameBytes}) larger than max length (${error.frameBytesMax}): ${fname} refused`,
    }),
    reply,
  );
}

/**
 * Answers the call whose frame starts with `head` (the bytes after the frame length) with
 * `status(method)` in that method's normal reply, whatever its arguments. False when the
 * head cannot be read as a call of a served method.
 */
export function answerCallWithStatus(
  head: Buffer,
  status: (method: string) => TSStatus,
  reply: (message: FramedMessage) => void,
): boolean {
  const kind = detectThriftProtocol(head);
  if (kind === null) return false;
  const Protocol: ProtocolClass = kind === 'binary' ? TBinaryProtocol : TCompactProtocol;
  let call: { fname: string; rseqid: number };
  try {
    call = new Protocol(new TFramedTransport(head)).readMessageBegin();
  } catch {
    return false;
  }
  if (!SERVED_METHODS.includes(call.fname)) return false;
  let message: Buffer | null = null;
  const writer = new Protocol(
    new TFramedTransport(undefined, (framed?: Buffer) => {
      if (framed !== undefined) message = framed.subarray(4);
    }),
  );
  writer.writeMessageBegin(call.fname, Thrift.MessageType.CALL, call.rseqid);
  writer.writeStructBegin('args');
  writer.writeFieldStop();
  writer.writeStructEnd();
  writer.writeMessageEnd();
  writer.flush();
  if (message === null) return false;
  const answer = universalReply(status(call.fname));
  const handler: Record<string, () => unknown> = {};
  for (const name of SERVED_METHODS) handler[name] = name === 'requestStatementId' ? () => toI64(-1) : () => answer;
  const processor = new ClientRpcService.Processor(wrapRpcHandler(handler as unknown as Partial<ClientRpcHandler>));
  processRpcFrame(processor, message, reply);
  return true;
}
