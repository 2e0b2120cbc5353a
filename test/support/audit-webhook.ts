/**
 * Test helper for the audit webhook receiver: a CA, a server certificate for 127.0.0.1 and a
 * client certificate (openssl, as the control-plane harness makes its own), and the webhook
 * kubeconfig the kube-apiserver reads with --audit-webhook-config-file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface WebhookPki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

const CNF = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
[v3_client]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
`;

export function makeWebhookPki(dir: string): WebhookPki {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'openssl.cnf'), CNF);
  const run = (args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', '-new', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=kordon-audit-test-ca', '-config', 'openssl.cnf', '-extensions', 'v3_ca']);
  let serial = 1;
  const leaf = (name: string, cn: string, ext: string): void => {
    run(['req', '-new', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`, '-config', 'openssl.cnf']);
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(++serial), '-days', '30', '-out', `${name}.crt`, '-extfile', 'openssl.cnf', '-extensions', ext]);
  };
  leaf('server', 'kordon-audit-receiver', 'v3_server');
  leaf('client', 'kube-apiserver-audit', 'v3_client');
  const p = (f: string): string => path.join(dir, f);
  return { ca: p('ca.crt'), serverCert: p('server.crt'), serverKey: p('server.key'), clientCert: p('client.crt'), clientKey: p('client.key') };
}

/** The kubeconfig of --audit-webhook-config-file: the receiver's URL, its CA, and the client credential. */
export function writeWebhookKubeconfig(file: string, url: string, pki: WebhookPki, auth: 'cert' | { token: string }): void {
  const b64 = (f: string): string => readFileSync(f).toString('base64');
  const user = auth === 'cert' ? `    client-certificate-data: ${b64(pki.clientCert)}\n    client-key-data: ${b64(pki.clientKey)}\n` : `    token: ${auth.token}\n`;
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: kordon-audit\n  cluster:\n    server: ${url}\n    certificate-authority-data: ${b64(pki.ca)}\n` +
      `users:\n- name: apiserver\n  user:\n${user}contexts:\n- name: default\n  context:\n    cluster: kordon-audit\n    user: apiserver\ncurrent-context: default\n`,
    { mode: 0o600 },
  );
}
