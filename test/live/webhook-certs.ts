/** Test helper: a CA and serving certificates for the webhook (openssl, as the control plane's PKI). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const CNF = `
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[ v3_server ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost,DNS:kordon-webhook.kordon-system.svc
`;

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
let serial = 100;

export function makeCa(dir: string): { dir: string; caFile: string } {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'openssl.cnf'), CNF);
  openssl(dir, ['req', '-x509', '-new', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=kordon-webhook-test-ca', '-config', 'openssl.cnf', '-extensions', 'v3_ca']);
  return { dir, caFile: path.join(dir, 'ca.crt') };
}

/** A new serving key and certificate signed by the CA, written to `name`.crt / `name`.key. */
export function makeServingCert(ca: { dir: string }, name: string): { certFile: string; keyFile: string } {
  const d = ca.dir;
  openssl(d, ['req', '-new', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=kordon-webhook', '-config', 'openssl.cnf']);
  openssl(d, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(++serial), '-days', '30', '-out', `${name}.crt`, '-extfile', 'openssl.cnf', '-extensions', 'v3_server']);
  return { certFile: path.join(d, `${name}.crt`), keyFile: path.join(d, `${name}.key`) };
}
