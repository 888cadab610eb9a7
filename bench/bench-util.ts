/** Prints one figure as `name: value unit`, the format every benchmark uses. */
export function report(name: string, value: number, unit: string): void {
  const digits = value >= 100 ? 0 : value >= 1 ? 2 : 4;
  console.log(`${name}: ${value.toFixed(digits)} ${unit}`);
}

/** mulberry32: a tiny deterministic PRNG (uint32 outputs), so benchmark data can be regenerated anywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A uniform double in [0, 1) from a mulberry32 generator. */
export function unit(next: () => number): number {
  return next() / 4294967296;
}

export function timed<T>(run: () => T): { result: T; seconds: number } {
  const start = process.hrtime.bigint();
  const result = run();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}
