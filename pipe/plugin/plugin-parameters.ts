/**
 * A plugin's parameters after validation (IoTDB's PipeParameters): every declared key is
 * present, holding the text given in the WITH clause or the declared default (null when
 * neither). Values were checked against their declared type, so the typed getters only
 * convert.
 */
export class PipeParameters {
  constructor(private readonly values: ReadonlyMap<string, string | null>) {}

  /** Declared names, in declaration order. */
  keys(): string[] {
    return [...this.values.keys()];
  }

  /** The text of a declared parameter, or null when it was not given and has no default. */
  get(name: string): string | null {
    if (!this.values.has(name)) throw new RangeError(`parameter '${name}' is not declared`);
    return this.values.get(name) ?? null;
  }

  /** Whether a declared parameter has a value. */
  has(name: string): boolean {
    return this.get(name) !== null;
  }

  string(name: string, fallback?: string): string {
    const v = this.get(name);
    if (v !== null) return v;
    if (fallback !== undefined) return fallback;
    throw new RangeError(`parameter '${name}' has no value`);
  }

  boolean(name: string, fallback?: boolean): boolean {
    const v = this.get(name);
    if (v !== null) return v.toLowerCase() === 'true';
    if (fallback !== undefined) return fallback;
    throw new RangeError(`parameter '${name}' has no value`);
  }

  /** A bigint, since integers in pipes are often timestamps or intervals in them. */
  integer(name: string, fallback?: bigint): bigint {
    const v = this.get(name);
    if (v !== null) return BigInt(v.trim());
    if (fallback !== undefined) return fallback;
    throw new RangeError(`parameter '${name}' has no value`);
  }

  toJSON(): Record<string, string | null> {
    return Object.fromEntries(this.values);
  }
}
