// Spec: protocol/FORMAT.md, section "Pipe transfer" (handshake v2).

/** Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1], in 32-bit arithmetic over UTF-16 units. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The entries in the order a `java.util.HashMap` filled with them in this order iterates
 * them, which is the order IoTDB writes a handshake's parameter map in: by bucket (the
 * hash with its high half folded in, modulo the table size), then by insertion within a
 * bucket. The table starts at 16 buckets and doubles past 3/4 full, as Java's does.
 * Bucket chains longer than 8 (Java's tree bins) do not occur for a handful of keys.
 */
export function javaHashMapOrder(entries: readonly (readonly [string, string])[]): Map<string, string> {
  let buckets = 16;
  while (entries.length > buckets * 0.75) buckets *= 2;
  const indexed = entries.map(([key, value], at) => {
    const h = javaStringHash(key);
    return { key, value, at, bucket: (h ^ (h >>> 16)) & (buckets - 1) };
  });
  indexed.sort((a, b) => a.bucket - b.bucket || a.at - b.at);
  return new Map(indexed.map((e) => [e.key, e.value]));
}
