/**
 * The wire is big-endian; typed arrays use the host's byte order. On a little-endian host
 * a column moves between the two with one memcpy plus Buffer#swap16/32/64, which run in
 * native code and beat per-element DataView reads by an order of magnitude.
 */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses each `width`-byte group of `bytes` in place when the host is little-endian. */
export function swapToHostOrder(bytes: Buffer, width: 1 | 2 | 4 | 8): void {
  if (!HOST_IS_LITTLE_ENDIAN || width === 1 || bytes.length === 0) return;
  if (width === 8) bytes.swap64();
  else if (width === 4) bytes.swap32();
  else bytes.swap16();
}

/** A Buffer view of a typed array's bytes (no copy). */
export function bytesOf(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}
