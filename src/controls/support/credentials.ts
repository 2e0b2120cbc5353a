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

/**
 * Values that stand for a credential without being one: empty, references to variables,
 * template placeholders (whole, or inside a one-line value that has no credential format),
 * booleans, documentation placeholders (`changeme`, `REPLACE_ME`, `INSERT_SLACK_TOKEN`,
 * `your-api-key-here`, `example`, `dummy`, `xxxx`). A weak literal such as `password` is not a
 * placeholder: it is a real, guessable credential. Neither is `REDACTED`, the stand-in snapshot
 * redaction leaves (it must be judged as the credential it replaced).
 */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  // Every whole-value form below is told by its first character.
  switch (v.charCodeAt(0)) {
    case 0x24 /* $ */:
      if (/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v)) return true; // Kubernetes dependent variable $(VAR)
      if (/^\$\{[^}]+\}$/.test(v) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return true; // shell / config interpolation
      if (/^\$[A-Za-z_][A-Za-z0-9_-]*(?:[.:][A-Za-z0-9_-]+)+$/.test(v)) return true; // a key of another Secret (`$dex.github.clientSecret`, `$secret:key` in Argo CD)
      break;
    case 0x7b /* { */:
      if (/^\{\{.*\}\}$/.test(v)) return true; // template placeholder
      break;
    case 0x3c /* < */:
      if (/^<[^>]*>$/.test(v)) return true; // documentation placeholder
      break;
    case 0x2a /* * */:
      if (/^\*+$/.test(v)) return true; // already masked
      break;
  }
  if (v.length <= PLACEHOLDER_WORD_MAX_LENGTH && /^(true|false|yes|no|on|off|null|none|nil|enabled|disabled)$/i.test(v)) return true;
  if (v.length > PLACEHOLDER_TEXT_MAX_LENGTH || v.includes('\n')) return false;
  // `Bearer ${TOKEN}`, `<token>`: references with nothing literal around them but an auth scheme
  if (PLACEHOLDER_SEGMENT.test(v)) return /^[^A-Za-z0-9]*(?:(?:bearer|basic|token)[^A-Za-z0-9]*)?$/i.test(v.replace(PLACEHOLDER_SEGMENTS, ''));
  return isPlaceholderText(v);
}

/** The length of the longest placeholder word (`disabled`, `enabled`). */
const PLACEHOLDER_WORD_MAX_LENGTH = 8;
/** Documentation placeholders are short; longer values are judged as literals. */
const PLACEHOLDER_TEXT_MAX_LENGTH = 80;

/** A template or variable reference inside a value: `${X}`, `{{ .Values.x }}`, `$(X)`, `<token>`, `__TOKEN__`. */
const PLACEHOLDER_SEGMENT = /\$\{[^}\s]*\}|\{\{[^}]*\}\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|<[A-Za-z][A-Za-z0-9 _.-]*>|__[A-Z][A-Z0-9_]*__/;

const PLACEHOLDER_SEGMENTS = new RegExp(PLACEHOLDER_SEGMENT.source, 'g');

/** Words that mark a documentation placeholder. */
const PLACEHOLDER_MARKERS = new Set(['CHANGEME', 'CHANGE', 'REPLACE', 'REPLACEME', 'INSERT', 'ENTER', 'YOUR', 'HERE', 'ME', 'EXAMPLE', 'DUMMY', 'FAKE', 'SAMPLE', 'PLACEHOLDER', 'TODO', 'TBD', 'FIXME', 'XXX']);
/** Words a placeholder may name besides its markers. */
const PLACEHOLDER_NOUNS = new Set(['TOKEN', 'KEY', 'API', 'APIKEY', 'PASSWORD', 'PASSWD', 'PASS', 'PWD', 'SECRET', 'CREDENTIAL', 'CREDENTIALS', 'ACCESS', 'ID', 'VALUE', 'AUTH', 'CLIENT', 'PRIVATE', 'THE', 'A', 'AN', 'WITH', 'GOES', 'IT', 'THIS', 'STRING', 'USER', 'USERNAME', 'WEBHOOK', 'URL']);
/** `INSERT_SLACK_TOKEN`, `REPLACE_WITH_PROD_KEY`, `your-github-token`: a marker first, a credential noun (or HERE/ME) last. */
const MARKED_PLACEHOLDER = /^(?:insert|replace|enter|put|your)(?:[-_ .]+[a-z0-9]+)*?[-_ .]+(?:here|me|[a-z]*(?:token|key|password|passwd|secret|credentials?|value|id|url))$/i;

function isPlaceholderText(v: string): boolean {
  if (/^(?:x{3,}|\.{3,}|…)$/i.test(v)) return true;
  if (MARKED_PLACEHOLDER.test(v) || /^[a-z0-9]+(?:[-_ .][a-z0-9]+)*[-_ .]here$/i.test(v)) return true;
  if (!/^[A-Za-z]+(?:[-_ .][A-Za-z]+)*$/.test(v)) return false;
  // every word a marker or a noun, and at least one marker: `changeme`, `example-token`, `dummy password`
  const words = upperSnake(v).split('_');
  return words.some((w) => PLACEHOLDER_MARKERS.has(w) || /^X{3,}$/.test(w)) && words.every((w) => PLACEHOLDER_MARKERS.has(w) || PLACEHOLDER_NOUNS.has(w) || /^X{3,}$/.test(w));
}

/** A value-format match that only shows the format: its body is one repeated filler (`AKIAXXXXXXXXXXXXXXXX`, `ghp_xxxx...`). */
function isFillerMatch(match: string): boolean {
  const body = match.replace(/^(?:AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|[sr]k_live_|AIza)/, '');
  return /^[-_.]*([xX0*])(?:[-_.]*\1)*[-_.]*$/.test(body);
}

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
  for (const [re, kind] of VALUE_PATTERNS) {
    const m = re.exec(value);
    if (m && !isFillerMatch(m[0])) kinds.add(kind);
  }
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

/* ---------------- redaction (snapshots) ---------------- */

/**
 * A stand-in for each value format: it has that format and no other (a test checks both), so a
 * redacted value gives every detector above the same answer as the credential it replaces.
 */
const STAND_INS: Record<string, string> = {
  'private key (PEM)': '-----BEGIN PRIVATE KEY-----',
  'AWS access key id': 'AKIAREDACTEDREDACTED',
  'GitHub token': 'ghp_REDACTEDREDACTEDREDACTEDREDACTEDREDACTED',
  'GitHub fine-grained token': 'github_pat_REDACTED_REDACTED_REDACTED',
  'GitLab personal access token': 'glpat-REDACTEDREDACTEDREDACTED',
  'Slack token': 'xoxb-REDACTED-REDACTED',
  'Slack webhook URL': 'https://hooks.slack.com/services/TREDACTED/BREDACTED/REDACTED',
  'Stripe live key': 'sk_live_REDACTEDREDACTEDREDACTED',
  'Google API key': 'AIzaREDACTED_REDACTED_REDACTED_REDACTED',
  'JSON Web Token': 'eyJREDACTED.eyJREDACTED.REDACTED',
  'URL with embedded password': 'redacted://user:REDACTED@redacted',
};

/** What replaces a literal credential that has no recognisable format. */
export const REDACTED_VALUE = 'REDACTED';

/** The value formats a stand-in exists for (every kind credentialKindsOfValue can return). */
export const STAND_IN_KINDS: readonly string[] = Object.keys(STAND_INS);

/** One value with the given formats (or a plain literal when there are none). */
export function standInFor(kinds: readonly string[]): string {
  return kinds.length === 0 ? REDACTED_VALUE : kinds.map((k) => STAND_INS[k] ?? REDACTED_VALUE).join(',');
}

const PEM_HEADER = VALUE_PATTERNS[0]![0];
const PEM_END = /-----END [A-Z0-9 ]*-----/;
/** A line inside a PEM block: base64, a header field, or nothing. */
const PEM_BODY_LINE = /^\s*(?:[A-Za-z0-9+/]+=*|(?:Proc-Type|DEK-Info|Comment|Version):.*)?\s*$/;
const OTHER_FORMATS: Array<[RegExp, string]> = VALUE_PATTERNS.slice(1).map(([re, kind]) => [new RegExp(re.source, re.flags + 'g'), kind]);
const ASSIGNMENT_AT = new RegExp(ASSIGNMENT.source, 'd');

/**
 * The literal of an assignment's value (as credentialsInText reads it) and where it sits in the
 * line, or undefined when the line assigns no literal to a credential-named setting.
 */
function assignedLiteral(line: string): { start: number; end: number; raw: string } | undefined {
  const m = ASSIGNMENT_AT.exec(line);
  if (!m || !credentialKindOfName(m[1]!)) return undefined;
  const value = m[2]!;
  const at = m.indices![2]![0];
  // the same trimming as credentialsInText: a quote at each end, then a trailing comment
  const s = /^["']/.test(value) ? 1 : 0;
  let e = /["']$/.test(value) && value.length > s ? value.length - 1 : value.length;
  const comment = /\s+#.*$/.exec(value.slice(s, e));
  if (comment) e = s + comment.index;
  const raw = value.slice(s, e);
  if (raw === '' || raw === '|' || raw === '>' || raw === '{' || raw === '[' || isPlaceholderValue(raw)) return undefined;
  return { start: at + s, end: at + e, raw };
}

/** Replaces the value formats in one line; `pem` says whether a PEM block stays open after it. */
function redactFormatsInLine(line: string): { line: string; pem: boolean } {
  let pem = false;
  let out = '';
  let rest = line;
  for (let h = rest.search(PEM_HEADER); h !== -1; h = rest.search(PEM_HEADER)) {
    const header = PEM_HEADER.exec(rest)!;
    out += rest.slice(0, h) + STAND_INS['private key (PEM)']!;
    rest = rest.slice(h + header[0].length);
    const end = PEM_END.exec(rest);
    if (end) {
      out += REDACTED_VALUE;
      rest = rest.slice(end.index);
      out += end[0];
      rest = rest.slice(end[0].length);
      pem = false;
    } else {
      // the body follows on the next lines (or this line ends inside it): keep closing quotes
      const tail = /["',\s]*$/.exec(rest)![0];
      if (rest.length > tail.length) out += REDACTED_VALUE;
      out += tail;
      rest = '';
      pem = true;
    }
  }
  let text = out + rest;
  for (const [re, kind] of OTHER_FORMATS) text = text.replace(re, STAND_INS[kind]!);
  text = text.replace(BASIC_AUTH_URL, (match: string, password: string) => {
    if (isPlaceholderValue(password) || credentialKindsOfValue(password).length > 0) return match;
    const at = match.indexOf(':', match.indexOf('//') + 2);
    return match.slice(0, at + 1) + REDACTED_VALUE + match.slice(at + 1 + password.length);
  });
  return { line: text, pem };
}

/**
 * A text with every credential the detectors above see replaced, and everything else kept:
 * value formats become stand-ins of the same format, PEM bodies and the literals of
 * credential-named settings become REDACTED. The detectors answer the same for the result.
 */
export function redactCredentialText(text: string): string {
  if (!VALUE_PREFILTER.test(text) && !/[:=]/.test(text)) return text;
  const parts = text.split(/(\r?\n)/);
  let pem = false;
  for (let i = 0; i < parts.length; i += 2) {
    let line = parts[i]!;
    if (pem) {
      if (PEM_END.test(line)) {
        pem = false;
        continue;
      }
      if (PEM_BODY_LINE.test(line)) {
        parts[i] = line.replace(/\S.*$/, REDACTED_VALUE);
        continue;
      }
      pem = false;
    }
    const literal = assignedLiteral(line);
    if (literal) line = line.slice(0, literal.start) + standInFor(credentialKindsOfValue(literal.raw)) + line.slice(literal.end);
    const r = redactFormatsInLine(line);
    parts[i] = r.line;
    pem = r.pem;
  }
  return parts.join('');
}

/**
 * The smallest value the detectors read exactly as `value`: its formats as stand-ins, its
 * credential-named settings with REDACTED literals, on as many lines as it needs (and on more
 * than one when the value had more than one).
 */
export function credentialStandIn(value: string): string {
  const formats = credentialKindsOfValue(value);
  const settings = credentialsInText(value).filter((h) => h.setting !== undefined);
  if (!value.includes('\n')) {
    const body = standInFor(formats);
    return settings.length > 0 ? `${settings[0]!.setting}=${body}` : body;
  }
  const lines: string[] = [];
  if (formats.length > 0) lines.push(standInFor(formats));
  for (const h of settings) lines.push(`${h.setting}=${REDACTED_VALUE}`);
  return (lines.length > 0 ? lines.join('\n') : REDACTED_VALUE) + '\n';
}

/** Command-line arguments with the values of credential flags and every value format redacted. */
export function redactCredentialArgs(argv: readonly unknown[]): unknown[] {
  const out = [...argv];
  for (let i = 0; i < out.length; i++) {
    const arg = out[i];
    if (typeof arg !== 'string') continue;
    // value formats first (stand-ins keep them); then the literals of credential flags
    out[i] = redactCredentialText(arg).replace(/(^|\s)(--?)([A-Za-z][A-Za-z0-9_.-]*)=(\S*)/g, (m: string, pre: string, dashes: string, flag: string, value: string) => {
      if (!credentialKindOfName(flag) || isPlaceholderValue(value.replace(/^["']|["']$/g, ''))) return m;
      // a value that is (or starts) a redacted format stays as the text redaction left it
      if (credentialKindsOfValue(value).length > 0 || value.startsWith('-----')) return m;
      return `${pre}${dashes}${flag}=${REDACTED_VALUE}`;
    });
    // `--password VALUE`: the next argument is the value (as credentialFlagsIn reads it)
    const bare = /^--?([A-Za-z][A-Za-z0-9_.-]*)$/.exec(arg);
    const next = out[i + 1];
    if (bare && credentialKindOfName(bare[1]!) && typeof next === 'string' && !next.startsWith('-') && !isPlaceholderValue(next)) {
      const redacted = redactCredentialText(next);
      out[i + 1] = credentialKindsOfValue(redacted).length > 0 ? redacted : REDACTED_VALUE;
    }
  }
  return out;
}

/* ---------------- redaction: command lines and HTTP headers (snapshots) ---------------- */

/**
 * Programs whose flags carry a password in forms the flag-name detectors above do not read:
 * `curl -u user:password`, `mysql -pPASSWORD`, `sshpass -p PASSWORD`, `redis-cli -a PASSWORD`,
 * `docker login -p PASSWORD`. Told by the program's name earlier on the same command line.
 */
const MYSQL_CLIENTS = /^(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlshow|mysqlpump|mysqlsh|mariadb|mariadb-dump|mariadb-admin|mariadb-import|mariadb-check)$/;
const LOGIN_CLIENTS = /^(?:docker|podman|nerdctl|helm|skopeo|buildah|oras|crane|regctl)$/;
const KNOWN_PROGRAM = new RegExp(`^(?:curl|sshpass|redis-cli|${MYSQL_CLIENTS.source.slice(4, -2)}|${LOGIN_CLIENTS.source.slice(4, -2)})$`);

/** The program a token names (`/usr/bin/curl` → `curl`), or undefined for a flag or value. */
function programOf(token: string): string | undefined {
  const t = token.replace(/^["'(]+|["';)]+$/g, '');
  if (t === '' || t.startsWith('-') || t.includes('=')) return undefined;
  const base = t.slice(t.lastIndexOf('/') + 1);
  return /^[a-z][a-z0-9._-]*$/.test(base) ? base : undefined;
}

/**
 * A command line as words and the space between them, `split(/(\s+)/)`-style (words at even
 * indexes); a quoted stretch (`-p"two words"`) stays inside its word.
 */
function shellParts(text: string): string[] {
  const parts: string[] = [];
  const word = /(?:[^\s"']+|"[^"]*"?|'[^']*'?)+/g;
  let last = 0;
  for (let m = word.exec(text); m !== null; m = word.exec(text)) {
    if (parts.length === 0 && m.index > 0) parts.push('');
    if (parts.length > 0) parts.push(text.slice(last, m.index));
    parts.push(m[0]);
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return [text];
  if (last < text.length) parts.push(text.slice(last), '');
  return parts;
}

/** A token without the quotes around it, and how to put them back. */
function unquoted(token: string): { inner: string; wrap: (s: string) => string } {
  const m = /^(["']?)(.*?)(["';]*)$/s.exec(token)!;
  return { inner: m[2]!, wrap: (s) => m[1]! + s + m[3]! };
}

/** A value attached to its flag (`-p"two words"`), rewritten inside its quotes, if it has them. */
function attachedValue(raw: string, fn: (v: string) => string): string {
  const q = /^(["'])(.*)\1$/s.exec(raw);
  if (q) {
    const r = fn(q[2]!);
    return r === q[2] ? raw : q[1]! + r + q[1]!;
  }
  return fn(raw);
}

/** `user:password` → `user:REDACTED` (a placeholder password is kept). */
function redactUserPassword(value: string): string {
  const at = value.indexOf(':');
  if (at < 0) return value;
  const pw = value.slice(at + 1);
  if (pw === '' || isPlaceholderValue(pw) || pw === REDACTED_VALUE) return value;
  return value.slice(0, at + 1) + REDACTED_VALUE;
}

/** A literal that may be replaced: no placeholder, no flag. */
function literal(value: string): boolean {
  return value !== '' && !value.startsWith('-') && !isPlaceholderValue(value) && value !== REDACTED_VALUE;
}

/**
 * Command-line credentials in the forms of particular programs, in separate arguments or inside
 * one (`sh -c "curl -u user:pw ..."`), and `--password VALUE` inside one argument: the password
 * becomes REDACTED, everything else stays. (`--password=VALUE` and `--password VALUE` as two
 * arguments are redactCredentialArgs' part.)
 */
export function redactCommandCredentials(argv: readonly unknown[]): unknown[] {
  const out = [...argv];
  let program: string | undefined;
  let sub: string | undefined;
  /** The flag whose value the next token is, and how to redact that value. */
  let pending: ((value: string) => string) | undefined;
  for (let i = 0; i < out.length; i++) {
    const arg = out[i];
    if (typeof arg !== 'string') {
      pending = undefined;
      continue;
    }
    const parts = shellParts(arg);
    for (let j = 0; j < parts.length; j += 2) {
      const token = parts[j]!;
      if (token === '') continue;
      const { inner, wrap } = unquoted(token);
      if (pending) {
        const r = pending(inner);
        pending = undefined;
        if (r !== inner) parts[j] = wrap(r);
        continue;
      }
      // a new command after a separator starts a new context
      if (/^(?:&&|\|\||\||;)$/.test(inner)) {
        program = undefined;
        sub = undefined;
        continue;
      }
      const name = programOf(inner);
      if (name !== undefined && KNOWN_PROGRAM.test(name)) {
        program = name;
        sub = undefined;
        continue;
      }
      if (name === 'login' && program !== undefined && LOGIN_CLIENTS.test(program)) {
        sub = name;
        continue;
      }
      let m: RegExpExecArray | null;
      if (program === 'curl' && /^(?:-u|--user|-U|--proxy-user)$/.test(inner)) pending = redactUserPassword;
      else if (program === 'curl' && (m = /^(-u|--user=|--proxy-user=)(.+)$/s.exec(token))) parts[j] = m[1]! + attachedValue(m[2]!, redactUserPassword);
      else if (program !== undefined && (MYSQL_CLIENTS.test(program) || program === 'sshpass') && (m = /^-p(.+)$/s.exec(token))) parts[j] = '-p' + attachedValue(m[1]!, (v) => (literal(v) ? REDACTED_VALUE : v));
      else if ((program === 'sshpass' && inner === '-p') || (program === 'redis-cli' && inner === '-a') || (program !== undefined && LOGIN_CLIENTS.test(program) && sub !== undefined && inner === '-p')) pending = (v) => (literal(v) ? REDACTED_VALUE : v);
      else if ((m = /^--?([A-Za-z][A-Za-z0-9_.-]*)$/.exec(inner)) && credentialKindOfName(m[1]!) && j + 2 < parts.length) {
        // `--password VALUE` inside one argument (as two arguments it is redactCredentialArgs' part)
        pending = (v) => (literal(v) && credentialKindsOfValue(v).length === 0 && !v.startsWith('-----') ? REDACTED_VALUE : v);
      }
    }
    const joined = parts.join('');
    if (joined !== arg) out[i] = joined;
  }
  return out;
}

/** `Authorization: Basic ...`, `"Authorization": "Bearer ..."`, `proxy_set_header Authorization "Basic ..."`. */
const AUTHORIZATION_HEADER = /(authorization["']?\s{0,4}[:=]?\s{0,4}["']?\s{0,4}(?:basic|bearer|token|digest|negotiate|apikey)\s+)([^\s"';,]+)/gi;

/** A text with the credentials of HTTP Authorization headers replaced by REDACTED (a placeholder is kept). */
export function redactAuthorizationHeaders(text: string): string {
  if (!/authorization/i.test(text)) return text;
  return text.replace(AUTHORIZATION_HEADER, (match: string, head: string, value: string) => (isPlaceholderValue(value) || value === REDACTED_VALUE || credentialKindsOfValue(value).length > 0 ? match : head + REDACTED_VALUE));
}
