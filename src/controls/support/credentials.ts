/**
 * Hard-coded credential detection. Everything here returns what KIND of credential was seen and
 * under which key, never the value: callers must not put values in findings.
 */

/** Key names that announce a credential (matched on the upper-snake form of the name, at its end). */
const CREDENTIAL_NAME = /(?:^|_)(PASSWORD|PASSWD|PASSPHRASE|PWD|SECRET|CLIENT_SECRET|SECRET_KEY|SECRET_ACCESS_KEY|TOKEN|ACCESS_TOKEN|AUTH_TOKEN|REFRESH_TOKEN|BEARER_TOKEN|API_KEY|APIKEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL|CREDENTIALS|CONNECTION_STRING)$/;

const NAME_KIND: Array<[RegExp, string]> = [
  [/PASSWORD|PASSWD|PASSPHRASE|PWD$/, 'password'],
  [/PRIVATE_KEY$/, 'private key'],
  [/API_?KEY$/, 'API key'],
  [/ACCESS_KEY$/, 'access key'],
  [/TOKEN$/, 'token'],
  [/CREDENTIALS?$/, 'credentials'],
  [/CONNECTION_STRING$/, 'connection string'],
  [/SECRET(_KEY)?$/, 'secret'],
];

/** `dbPassword`, `db.password`, `DB-PASSWORD` → `DB_PASSWORD`. */
export function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

/** The kind of credential a key name announces (`password`, `token`, ...), or undefined. */
/** Words that make a credential-like name a reference, a switch or a location rather than a value (`existingSecret`, `fromSecret`). */
const NON_VALUE_WORDS = new Set(['EXISTING', 'FROM', 'REF', 'USE', 'ENABLE', 'ENABLED', 'DISABLE', 'DISABLED', 'SKIP', 'REQUIRE', 'REQUIRED', 'ALLOW', 'HAS', 'IS', 'NAME', 'PATH', 'FILE', 'DIR', 'MOUNT']);

export function credentialKindOfName(name: string): string | undefined {
  const known = NAME_KIND_CACHE.get(name);
  if (known !== undefined || NAME_KIND_CACHE.has(name)) return known;
  const kind = classifyName(name);
  // Key names repeat across objects (env names, annotation keys): classify each distinct one once.
  if (NAME_KIND_CACHE.size >= NAME_KIND_CACHE_LIMIT) NAME_KIND_CACHE.clear();
  NAME_KIND_CACHE.set(name, kind);
  return kind;
}

const NAME_KIND_CACHE = new Map<string, string | undefined>();
const NAME_KIND_CACHE_LIMIT = 50_000;

function classifyName(name: string): string | undefined {
  const n = upperSnake(name);
  if (n.split('_').some((w) => NON_VALUE_WORDS.has(w))) return undefined;
  // A bare PWD is the shell's working directory, not a password.
  if (n === 'PWD' || !CREDENTIAL_NAME.test(n)) return undefined;
  for (const [re, kind] of NAME_KIND) if (re.test(n)) return kind;
  return 'secret';
}

/** Values that stand for a credential without being one: empty, references to variables, template placeholders, booleans. */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  // Every placeholder form below is told by its first character, or is a short word.
  switch (v.charCodeAt(0)) {
    case 0x24 /* $ */:
      if (/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v)) return true; // Kubernetes dependent variable $(VAR)
      return /^\$\{[^}]+\}$/.test(v) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v); // shell / config interpolation
    case 0x7b /* { */:
      return /^\{\{.*\}\}$/.test(v); // template placeholder
    case 0x3c /* < */:
      return /^<[^>]*>$/.test(v); // documentation placeholder
    case 0x2a /* * */:
      return /^\*+$/.test(v); // already masked
  }
  return v.length <= PLACEHOLDER_WORD_MAX_LENGTH && /^(true|false|yes|no|on|off|null|none|nil|enabled|disabled)$/i.test(v);
}

/** The length of the longest placeholder word (`disabled`, `enabled`). */
const PLACEHOLDER_WORD_MAX_LENGTH = 8;

/** Credential formats recognisable from the value alone. */
const VALUE_PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/, 'private key (PEM)'],
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, 'AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{22,}\b/, 'GitHub fine-grained token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'GitLab personal access token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'Slack token'],
  [/https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/, 'Slack webhook URL'],
  [/\b(?:sk|rk)_live_[0-9A-Za-z]{20,}\b/, 'Stripe live key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'Google API key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'JSON Web Token'],
];

/** `scheme://user:password@host` with a literal password. */
const BASIC_AUTH_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"]+:([^\s@/'"]+)@[^\s/'"]/gi;

/**
 * Text every value format needs (one alternative per pattern above, and `://` for a URL with a
 * password): a value without any of it cannot match, so most values cost one scan.
 */
const VALUE_PREFILTER = /PRIVATE KEY|AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|hooks\.slack\.com|_live_|AIza|eyJ|:\/\//;

/** The shortest value any format can match (`a://b:c@d`). */
const VALUE_MIN_LENGTH = 9;

/** Kinds of credential found in a value by its format, sorted and de-duplicated. */
export function credentialKindsOfValue(value: string): string[] {
  if (value.length < VALUE_MIN_LENGTH || !VALUE_PREFILTER.test(value)) return [];
  const kinds = new Set<string>();
  for (const [re, kind] of VALUE_PATTERNS) if (re.test(value)) kinds.add(kind);
  for (const m of value.matchAll(BASIC_AUTH_URL)) {
    if (!isPlaceholderValue(m[1]!)) kinds.add('URL with embedded password');
  }
  return [...kinds].sort();
}

export interface CredentialHit {
  /** Kind of credential (`password`, `AWS access key id`, ...). */
  kind: string;
  /** A key name inside the value (a config-file setting), when the hit came from one. */
  setting?: string;
}

/** `key = value`, `key: value`, `"key": "value"` lines of config files. */
const ASSIGNMENT = /^\s*(?:export\s+)?["']?([A-Za-z0-9_.\-]+)["']?\s*[:=]\s*(.*?)\s*,?\s*$/;

/**
 * Credentials inside a config file's text: settings whose name announces a credential and whose
 * value is a literal, and value formats anywhere in the text. Sorted, de-duplicated.
 */
export function credentialsInText(text: string): CredentialHit[] {
  const hits = new Map<string, CredentialHit>();
  for (const kind of credentialKindsOfValue(text)) hits.set(`|${kind}`, { kind });
  for (const line of text.split(/\r?\n/)) {
    const m = ASSIGNMENT.exec(line);
    if (!m) continue;
    const setting = m[1]!;
    const kind = credentialKindOfName(setting);
    if (!kind) continue;
    const raw = m[2]!.replace(/^["']|["']$/g, '').replace(/\s+#.*$/, '');
    if (raw === '' || raw === '|' || raw === '>' || raw === '{' || raw === '[' || isPlaceholderValue(raw)) continue;
    hits.set(`${setting}|${kind}`, { kind, setting });
  }
  return [...hits.values()].sort((a, b) => ((a.setting ?? '') + a.kind < (b.setting ?? '') + b.kind ? -1 : 1));
}

/** A literal flag assignment on a command line: `--password=x`, `--token x`, `-p=x` is too ambiguous and ignored. */
export function credentialFlagsIn(argv: readonly string[]): string[] {
  const found = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    for (const token of arg.split(/\s+/)) {
      const m = /^--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?$/.exec(token);
      if (!m) continue;
      const flag = m[1]!;
      if (!credentialKindOfName(flag)) continue;
      if (m[2] !== undefined) {
        if (!isPlaceholderValue(m[2].replace(/^["']|["']$/g, ''))) found.add(`--${flag}`);
      } else if (token === arg) {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('-') && !isPlaceholderValue(next)) found.add(`--${flag}`);
      }
    }
  }
  return [...found].sort();
}

/**
 * An object's keys in code-unit order (the order `.sort()` gives), sorted in place by
 * insertion: label, annotation and data maps are small, and Array.prototype.sort allocates
 * working space on every call (measurable over a hundred thousand objects).
 */
export function sortedKeys(map: object): string[] {
  const keys = Object.keys(map);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}
