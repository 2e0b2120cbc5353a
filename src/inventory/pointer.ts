/** RFC 6901 JSON pointers. */

export function escapeSegment(s: string | number): string {
  if (typeof s === 'number') return String(s);
  // most segments (field names, indexes) need no escape: no regular expression runs for them
  if (s.indexOf('~') === -1 && s.indexOf('/') === -1) return s;
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(base: string, ...segments: Array<string | number>): string {
  let out = base;
  for (const s of segments) out += '/' + escapeSegment(s);
  return out;
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (pointer.charCodeAt(0) !== 47 /* / */) throw new Error(`invalid JSON pointer: ${pointer}`);
  const parts = pointer.slice(1).split('/');
  if (pointer.includes('~')) for (let i = 0; i < parts.length; i++) parts[i] = parts[i]!.replace(/~1/g, '/').replace(/~0/g, '~');
  return parts;
}

/** Reads the value at a pointer, or undefined. */
export function getAt(value: unknown, pointer: string): unknown {
  return getAtSegments(value, parsePointer(pointer));
}

/** Reads the value at a pointer already split into segments, or undefined. */
export function getAtSegments(value: unknown, segments: readonly string[]): unknown {
  let cur: unknown = value;
  for (const seg of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
