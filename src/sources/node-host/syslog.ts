/**
 * Whether a node sends its own logs (the system journal, syslog: kubelet, container runtime,
 * sshd, kernel) to a remote server, as the NSA-CISA guide asks (audit logging: SYSLOG). Read from
 * the configuration of the three common forwarders under the node's root:
 *
 * - rsyslog (`/etc/rsyslog.conf`, `/etc/rsyslog.d/*.conf`): a legacy forwarding action
 *   (`*.* @host`, `@@host` for TCP) or an `action(type="omfwd"|"omrelp"|...)`;
 * - syslog-ng (`/etc/syslog-ng/syslog-ng.conf`, `/etc/syslog-ng/conf.d/*.conf`): a destination
 *   with a network driver (`network()`, `syslog()`, `tcp()`, `udp()`, `http()`...) used by a
 *   `log` statement (blocks read without nesting: a `log` with junctions is not followed);
 * - systemd-journal-upload (`/etc/systemd/journal-upload.conf` and its `.conf.d`): a `URL=`
 *   with the service enabled (a `*.wants/systemd-journal-upload.service` link).
 *
 * Only where the setting is (file and line) and which mechanism leave this module, never the
 * server's address or any other content.
 */
import type { NodeFiles } from '../../nodes/facts.js';

export interface SyslogForwarding {
  /** `rsyslog (/etc/rsyslog.d/50-remote.conf line 3)`: each forwarding setting found. */
  forwards: string[];
  /** The forwarders' configuration files read. */
  read: string[];
}

const RSYSLOG_MODULES = ['omfwd', 'omrelp', 'omhttp', 'omkafka', 'omelasticsearch', 'omgssapi'];
const SYSLOG_NG_DRIVERS = ['network', 'syslog', 'tcp', 'udp', 'tcp6', 'udp6', 'http', 'kafka', 'elasticsearch-http', 'loki', 'opentelemetry'];

function confFiles(files: NodeFiles, main: string, dir: string): string[] {
  const out: string[] = [];
  if (files.read(main) !== undefined) out.push(main);
  for (const f of files.list(dir)) if (f.endsWith('.conf')) out.push(f);
  return out;
}

/** Drops `#` comments (outside quotes) of one line. */
function uncomment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return line.slice(0, i);
  }
  return line;
}

function rsyslog(files: NodeFiles, forwards: string[], read: string[]): void {
  for (const file of confFiles(files, '/etc/rsyslog.conf', '/etc/rsyslog.d')) {
    read.push(file);
    const lines = (files.read(file) ?? '').split('\n').map((l) => uncomment(l));
    lines.forEach((raw, i) => {
      const line = raw.trim();
      // `*.* @host`, `*.* @@(o)host:514`, `if ... then @@host`, the old `:omfwd:` action
      if (line && (/^[^\s$(&:]\S*\s+-?@@?(?:\(\w+\))?[\w[]/.test(line) || /\bthen\s+-?@@?(?:\(\w+\))?[\w[]/.test(line) || /\s:omfwd:/.test(line))) forwards.push(`rsyslog (${file} line ${i + 1})`);
    });
    // RainerScript actions may span lines: `action(type="omfwd" target=...)`
    const text = lines.join('\n');
    for (const m of text.matchAll(/\baction\s*\(([^)]*)\)/g)) {
      const type = /\btype\s*=\s*"([\w-]+)"/.exec(m[1]!)?.[1];
      if (type && RSYSLOG_MODULES.includes(type)) forwards.push(`rsyslog ${type} (${file} line ${text.slice(0, m.index!).split('\n').length})`);
    }
  }
}

function syslogNg(files: NodeFiles, forwards: string[], read: string[]): void {
  const destinations = new Map<string, string>(); // name → where
  const used = new Set<string>();
  for (const file of confFiles(files, '/etc/syslog-ng/syslog-ng.conf', '/etc/syslog-ng/conf.d')) {
    read.push(file);
    const lines = (files.read(file) ?? '').split('\n').map((l) => uncomment(l));
    const text = lines.join('\n');
    const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
    for (const m of text.matchAll(/\bdestination\s+([\w-]+)\s*\{([^}]*)\}/g)) {
      if (new RegExp(`(?:^|[\\s;{])(${SYSLOG_NG_DRIVERS.join('|')})\\s*\\(`).test(m[2]!)) destinations.set(m[1]!, `${file} line ${lineOf(m.index!)}`);
    }
    for (const m of text.matchAll(/\blog\s*\{([^}]*)\}/g)) for (const d of m[1]!.matchAll(/\bdestination\s*\(\s*([\w-]+)\s*\)/g)) used.add(d[1]!);
  }
  for (const [name, where] of [...destinations].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))) if (used.has(name)) forwards.push(`syslog-ng (${where})`);
}

function journalUpload(files: NodeFiles, forwards: string[], read: string[]): void {
  const enabled = ['/etc/systemd/system/multi-user.target.wants/systemd-journal-upload.service', '/etc/systemd/system/default.target.wants/systemd-journal-upload.service'].some((p) => files.stat(p) !== undefined);
  for (const file of confFiles(files, '/etc/systemd/journal-upload.conf', '/etc/systemd/journal-upload.conf.d')) {
    read.push(file);
    const lines = (files.read(file) ?? '').split('\n');
    lines.forEach((raw, i) => {
      if (/^\s*URL\s*=\s*\S/.test(raw) && enabled) forwards.push(`systemd-journal-upload (${file} line ${i + 1})`);
    });
  }
}

export function syslogForwarding(files: NodeFiles): SyslogForwarding {
  const forwards: string[] = [];
  const read: string[] = [];
  rsyslog(files, forwards, read);
  syslogNg(files, forwards, read);
  journalUpload(files, forwards, read);
  return { forwards, read };
}
