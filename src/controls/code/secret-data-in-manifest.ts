import { defineControl } from '../../engine/types.js';
import { credentialsInText, isPlaceholderValue } from '../support/credentials.js';

/** Findings name the keys, never the values. */
export default defineControl({
  id: 'KOR-0133',
  name: 'secret-data-in-manifest',
  title: 'Secret manifest with values committed to source',
  description:
    'A Secret manifest in a repository or chart with literal `data` or `stringData` values puts the secret in version control, in every clone, CI log and rendered artifact, and keeps it in history after rotation (base64 is an encoding, not encryption). Only manifests read from files are judged: Secrets read from a live cluster or snapshot hold their data by nature. Values that are placeholders (`${DB_PASSWORD}`, `changeme`, `<token>`, `REPLACE_ME`, also base64-encoded under `data`) are not counted, nor are keys that name a location or an identity rather than a secret (`type`, `url`, `username`, `host`, `port`, `email`, ...), nor is a configuration file (a multi-line value) in which no setting names a credential and no value has a credential\'s format (a datasource list, an alerting route with placeholder URLs).',
  layer: 'code',
  dimensions: ['Security', 'CI/CD'],
  phases: ['develop'],
  severity: 'high',
  effort: 'medium',
  frameworks: { nsa: ['secrets'], cis: ['5.4.2'], mitre: ['T1552.001'] },
  remediation: 'Keep secret values out of the repository: use an external secret store (External Secrets Operator, Secrets Store CSI driver) or encrypt them (Sealed Secrets, SOPS), and rotate the committed values.',
  messages: { committed: 'Secret "{{name}}" carries {{count}} literal value(s) in the manifest ({{keys}}).' },
  targets: 'object',
  kinds: ['Secret'],
  check(object, ctx) {
    const via = ctx.item?.origin.via;
    if (via === 'cluster' || via === 'snapshot') return;
    const keys = new Set<string>();
    let pointer = '';
    for (const field of ['stringData', 'data']) {
      const d = object[field];
      if (!d || typeof d !== 'object') continue;
      for (const [k, v] of Object.entries(d)) {
        if (typeof v !== 'string' || v === '' || NOT_SECRET_KEYS.has(k.toLowerCase())) continue;
        // placeholders (`${DB_PASSWORD}`, `changeme`, `<token>`) are filled in at deploy time: not committed secrets
        const text = field === 'data' ? decodedText(v) : v;
        if (isPlaceholderValue(text) || !holdsSecret(text)) continue;
        keys.add(k);
        pointer ||= `/${field}`;
      }
    }
    if (keys.size === 0) return;
    const sorted = [...keys].sort();
    ctx.report('committed', { name: object.metadata.name ?? '', count: sorted.length, keys: sorted.join(', ') }, pointer);
  },
});

/** A `data` value decoded (base64), or the value itself when it is not valid base64. */
function decodedText(v: string): string {
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(v)) return v;
  return Buffer.from(v, 'base64').toString('utf8');
}

/** Keys that name where or who, not a secret (a repository Secret's `type`, `url` and `username`). */
const NOT_SECRET_KEYS = new Set(['type', 'url', 'username', 'user', 'name', 'host', 'hostname', 'port', 'project', 'database', 'region', 'endpoint', 'email', 'server']);

/** Words that make a configuration file worth keeping secret even when no detector recognises the setting (`auth`, `bearer`...). */
const SECRET_WORDS = /pass(?:word|wd|phrase)?\b|secret|token|api[-_]?key|\bauth\b|bearer|credential|private/i;

/** A one-line value is a secret by itself; a configuration file only when it holds a credential (by setting or by format) or names one. */
function holdsSecret(text: string): boolean {
  if (!text.trim().includes('\n')) return true;
  return credentialsInText(text).length > 0 || SECRET_WORDS.test(text);
}
