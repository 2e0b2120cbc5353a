/**
 * The string conventions of the upstream Pod Security Admission messages (k8s.io/pod-security-admission),
 * reproduced so that `kordon pss` prints what the API server prints.
 */

/** `"a", "b"`: every item in double quotes, comma separated; '' for none. */
export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : `"${items.join('", "')}"`;
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** Byte-wise (UTF-8) order, as Go sorts strings. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-8 bytes sort as code points, and below the surrogates code units are code points: decide
  // at the first difference when neither side is a surrogate (or beyond), else compare the bytes.
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  const ca = i < a.length ? a.charCodeAt(i) : -1;
  const cb = i < b.length ? b.charCodeAt(i) : -1;
  const prev = i > 0 ? a.charCodeAt(i - 1) : 0;
  if (ca < 0xd800 && cb < 0xd800 && (prev < 0xd800 || prev > 0xdbff)) return ca < cb ? -1 : 1;
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ab, bb);
}

/** The sorted, de-duplicated list of a set of strings (Go's `sets.List`). */
export function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(compareGoStrings);
}

/** Go's `%q` for a string: double-quoted with Go escapes (printable characters kept as they are). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (isGoPrintable(cp)) out += ch;
    else if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\uFFFD'; // a lone surrogate reaches Go as U+FFFD, which is printable
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** An approximation of Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isGoPrintable(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp < 0x7f) return true;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}
