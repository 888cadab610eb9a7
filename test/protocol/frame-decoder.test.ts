import { describe, expect, it } from 'vitest';
import { detectThriftProtocol, encodeFrame, FrameDecoder, FrameTooLargeError } from '../../protocol/frame-decoder.js';
import { PayloadError } from '../../protocol/payload-error.js';
import { hex } from './hex.js';

describe('FrameDecoder', () => {
  it('prefixes a message with its big-endian length', () => {
    expect(encodeFrame(hex('aabbcc')).toString('hex')).toBe('00000003aabbcc');
  });

  it('returns several frames from one chunk and keeps the rest', () => {
    const decoder = new FrameDecoder(100);
    const frames = decoder.push(hex('00000001 aa | 00000002 bbcc | 00000003 dd'));
    expect(frames.map((f) => f.toString('hex'))).toEqual(['aa', 'bbcc']);
    expect(decoder.pendingBytes).toBe(5);
    expect(decoder.push(hex('eeff')).map((f) => f.toString('hex'))).toEqual(['ddeeff']);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('assembles a frame whose header and body are split over many chunks', () => {
    const decoder = new FrameDecoder(1 << 20);
    const body = Buffer.alloc(70_000, 7);
    const stream = encodeFrame(body);
    const frames: Buffer[] = [];
    for (let at = 0; at < stream.length; at += at < 8 ? 1 : 4096) {
      frames.push(...decoder.push(stream.subarray(at, Math.min(stream.length, at + (at < 8 ? 1 : 4096)))));
    }
    expect(frames).toHaveLength(1);
    expect(frames[0]!.equals(body)).toBe(true);
  });

  it('accepts an empty frame', () => {
    expect(new FrameDecoder(10).push(hex('00000000'))).toEqual([Buffer.alloc(0)]);
  });

  it('refuses a frame over the limit as soon as its header arrives', () => {
    const decoder = new FrameDecoder(16);
    expect(() => decoder.push(hex('00000011'))).toThrow(FrameTooLargeError);
    try {
      new FrameDecoder(16).push(hex('7fffffff'));
    } catch (e) {
      expect(e).toBeInstanceOf(FrameTooLargeError);
      expect((e as FrameTooLargeError).statusCode).toBe(308);
      expect((e as Error).message).toBe('frame of 2147483647 bytes exceeds the limit of 16 bytes');
    }
  });

  it('skips an oversized call without buffering it and keeps its head for the answer', () => {
    const decoder = new FrameDecoder(16);
    const body = Buffer.alloc(5000, 0x55);
    body.set(hex('80010001 0000000c 696e7365727454616274c574 00000007'), 0);
    const stream = Buffer.concat([encodeFrame(body), encodeFrame(hex('aabb'))]);
    const out: (Buffer | FrameTooLargeError)[] = [];
    for (let at = 0; at < stream.length; at += 333) out.push(...decoder.pushSkipping(stream.subarray(at, at + 333)));
    expect(out).toHaveLength(2);
    const skipped = out[0] as FrameTooLargeError;
    expect(skipped).toBeInstanceOf(FrameTooLargeError);
    expect(skipped.frameBytes).toBe(5000);
    expect(skipped.head.length).toBe(1024);
    expect(skipped.head.subarray(0, 4).toString('hex')).toBe('80010001');
    expect((out[1] as Buffer).toString('hex')).toBe('aabb');
    expect(decoder.pendingBytes).toBe(0);
  });

  it('refuses an oversized frame of garbage at once, without waiting for its bytes', () => {
    const decoder = new FrameDecoder(16);
    expect(() => decoder.pushSkipping(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(/holds no Thrift message/);
  });

  it('refuses a negative frame length', () => {
    expect(() => new FrameDecoder(16).push(hex('ffffffff'))).toThrow(PayloadError);
  });

  it('tells the binary and compact protocols apart', () => {
    expect(detectThriftProtocol(hex('80010001'))).toBe('binary');
    expect(detectThriftProtocol(hex('8221'))).toBe('compact');
    expect(detectThriftProtocol(hex('0000000b 6f70656e53657373696f6e'))).toBe('binary'); // non-strict
    expect(detectThriftProtocol(hex('47455420'))).toBeNull(); // an HTTP request
    expect(detectThriftProtocol(hex(''))).toBeNull();
  });
});
