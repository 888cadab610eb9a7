/** Prints one figure as `name: value unit`, the format every benchmark uses. */
export function report(name: string, value: number, unit: string): void {
  const digits = value >= 100 ? 0 : value >= 1 ? 2 : 4;
  console.log(`${name}: ${value.toFixed(digits)} ${unit}`);
}

/** mulberry32: a tiny deterministic PRNG, so benchmark data can be regenerated anywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function timed<T>(run: () => T): { result: T; seconds: number } {
  const start = process.hrtime.bigint();
  const result = run();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}
