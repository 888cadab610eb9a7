/**
 * Bytes from hex written for reading: whitespace and `|` separate groups, `#` starts a
 * comment that runs to the end of the line.
 */
export function hex(text: string): Buffer {
  const digits = text.replace(/#[^\n]*/g, '').replace(/[\s|]/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`bad hex: ${text}`);
  return Buffer.from(digits, 'hex');
}

export function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}
