import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { isPem } from '../../protocol/client/trust-store.js';

/**
 * The node's TLS identity from IoTDB's `key_store_path` / `key_store_pwd`: a PKCS12 key
 * store (Java's default, `keytool -genkeypair -storetype PKCS12` or `openssl pkcs12
 * -export`), or a PEM file holding the private key and the certificate chain (the key may
 * be encrypted with the password). Read and checked at start-up: a bad store is one line.
 */
export function readKeyStore(path: string, password: string): tls.SecureContextOptions {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read key store ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const options: tls.SecureContextOptions = isPem(bytes)
    ? { key: bytes, cert: bytes, passphrase: password }
    : { pfx: bytes, passphrase: password };
  try {
    tls.createSecureContext(options);
  } catch (error) {
    const reason = (error as Error).message;
    const why = /mac verify|bad decrypt|wrong password/i.test(reason) ? 'wrong key_store_pwd' : reason;
    throw new Error(`cannot use key store ${path} (${isPem(bytes) ? 'PEM' : 'PKCS12'}): ${why}`);
  }
  return options;
}
