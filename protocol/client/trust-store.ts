import { readFileSync } from 'node:fs';
import forge from 'node-forge';

/** A key or trust store that cannot be read: one line naming the file and why. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** Whether a store file is PEM text (as opposed to PKCS12's DER). */
export function isPem(bytes: Buffer): boolean {
  return bytes.subarray(0, 100).toString('latin1').includes('-----BEGIN');
}

/**
 * The certificates a client trusts, as PEM, from a PEM file of certificates or from a
 * PKCS12 trust store (Java's default store type: `keytool -importcert -storetype PKCS12`).
 * Node's TLS reads PKCS12 only with a private key in it, so a trust store, which holds
 * certificates alone, is read with node-forge; its password is checked by the store's MAC.
 */
export function readTrustStore(path: string, password = ''): string[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new StoreError(`cannot read trust store ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  if (isPem(bytes)) {
    const pems = bytes.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (pems.length === 0) throw new StoreError(`trust store ${path} holds no PEM certificate`);
    return pems;
  }
  let certs: forge.pki.Certificate[];
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes.toString('binary')), password);
    const bags = p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
    certs = bags.flatMap((b) => (b.cert === undefined ? [] : [b.cert]));
  } catch (error) {
    const why = (error as Error).message.includes('MAC') ? 'wrong password' : (error as Error).message;
    throw new StoreError(`cannot read trust store ${path} as PKCS12 or PEM: ${why}`);
  }
  if (certs.length === 0) throw new StoreError(`trust store ${path} holds no certificate`);
  return certs.map((c) => forge.pki.certificateToPem(c));
}
