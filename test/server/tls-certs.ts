import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

/** Certificates made for one test run with openssl and keytool (never committed), and their folder. */
export interface TestCerts {
  readonly dir: string;
  /** The node's key store: PKCS12 (password `store-pw`) and PEM key + certificate chain. */
  readonly nodeP12: string;
  readonly nodePem: string;
  /** The CA as a Java PKCS12 trust store (keytool, password `trust-pw`) and as PEM. */
  readonly trustP12: string;
  readonly caPem: string;
  /** Key stores the clients must refuse: another CA, another host name, expired. */
  readonly otherCaP12: string;
  readonly wrongHostP12: string;
  readonly expiredP12: string;
  remove(): void;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A key and certificate signed by `ca`, as a PKCS12 key store with the chain. */
function issue(dir: string, name: string, ca: string, san: string): string {
  openssl(
    dir,
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  );
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    `${name}.pem`,
    '-extfile',
    `${name}.ext`,
  );
  openssl(
    dir,
    'pkcs12',
    '-export',
    '-inkey',
    `${name}.key`,
    '-in',
    `${name}.pem`,
    '-certfile',
    `${ca}.pem`,
    '-out',
    `${name}.p12`,
    '-passout',
    'pass:store-pw',
  );
  return join(dir, `${name}.p12`);
}

/** A certificate for 127.0.0.1 signed by the CA whose validity ended yesterday (openssl 3.0 cannot backdate). */
function expired(dir: string): string {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const caKey = forge.pki.privateKeyFromPem(readFileSync(join(dir, 'ca.key'), 'utf8'));
  const caCert = forge.pki.certificateFromPem(readFileSync(join(dir, 'ca.pem'), 'utf8'));
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '0abc';
  const day = 24 * 3600 * 1000;
  cert.validity.notBefore = new Date(Date.now() - 3 * day);
  cert.validity.notAfter = new Date(Date.now() - day);
  cert.setSubject([{ name: 'commonName', value: 'expired' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  cert.sign(caKey, forge.md.sha256.create());
  writeFileSync(join(dir, 'expired.pem'), forge.pki.certificateToPem(cert));
  writeFileSync(join(dir, 'expired.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  openssl(
    dir,
    'pkcs12',
    '-export',
    '-inkey',
    'expired.key',
    '-in',
    'expired.pem',
    '-out',
    'expired.p12',
    '-passout',
    'pass:store-pw',
  );
  return join(dir, 'expired.p12');
}

/**
 * The CA as a PKCS12 trust store (certificate only, password `trust-pw`): made by Java's
 * keytool, as Java users make theirs, where a JDK is installed; by node-forge otherwise.
 */
function javaTrustStore(dir: string): void {
  try {
    execFileSync(
      'keytool',
      [
        '-importcert',
        '-noprompt',
        '-alias',
        'ca',
        '-file',
        'ca.pem',
        '-keystore',
        'trust.p12',
        '-storetype',
        'PKCS12',
        '-storepass',
        'trust-pw',
      ],
      { cwd: dir, stdio: 'pipe' },
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const ca = forge.pki.certificateFromPem(readFileSync(join(dir, 'ca.pem'), 'utf8'));
    const p12 = forge.pkcs12.toPkcs12Asn1(null, [ca], 'trust-pw', { algorithm: '3des' });
    writeFileSync(join(dir, 'trust.p12'), Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
  }
}

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'iotdb-lite-tls-'));
  for (const ca of ['ca', 'other-ca']) {
    openssl(
      dir,
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.pem`,
      '-days',
      '2',
      '-subj',
      `/CN=${ca}`,
    );
  }
  const nodeP12 = issue(dir, 'node', 'ca', 'IP:127.0.0.1,DNS:localhost');
  writeFileSync(
    join(dir, 'node-key-and-chain.pem'),
    readFileSync(join(dir, 'node.key'), 'utf8') + readFileSync(join(dir, 'node.pem'), 'utf8'),
  );
  javaTrustStore(dir);
  return {
    dir,
    nodeP12,
    nodePem: join(dir, 'node-key-and-chain.pem'),
    trustP12: join(dir, 'trust.p12'),
    caPem: join(dir, 'ca.pem'),
    otherCaP12: issue(dir, 'stranger', 'other-ca', 'IP:127.0.0.1'),
    wrongHostP12: issue(dir, 'elsewhere', 'ca', 'DNS:elsewhere.example'),
    expiredP12: expired(dir),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
