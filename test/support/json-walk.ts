/**
 * A plain JSON pointer walker over text, with no indexes: the reference the indexed locator
 * (src/sources/manifests/json-structure.ts) is checked against. It shares only the
 * primitives that step over one token.
 */
import { skipLiteral, skipString, skipWs } from '../../src/sources/manifests/json-structure.js';

/** Offset of a pointer in a JSON text (member key or element start; the deepest part that exists). */
export function jsonPointerOffset(text: string, segments: readonly string[]): number {
  return walkJson(text, skipWs(text, 0), segments);
}

function walkJson(text: string, i: number, segments: readonly string[]): number {
  let best = i;
  for (const seg of segments) {
    const c = text[i];
    if (c === '{') {
      const found = findMember(text, i, seg);
      if (!found) break;
      best = found.keyAt;
      i = found.valueAt;
    } else if (c === '[') {
      const at = findElement(text, i, Number(seg));
      if (at === undefined) break;
      best = at;
      i = at;
    } else break;
  }
  return best;
}



/** Offset just past the JSON value starting at i (iterative, no recursion). */
function skipValue(t: string, i: number): number {
  i = skipWs(t, i);
  const c = t.charCodeAt(i);
  if (c === 34) return skipString(t, i);
  if (c !== 123 && c !== 91) return skipLiteral(t, i);
  let depth = 0;
  const n = t.length;
  while (i < n) {
    const ch = t.charCodeAt(i);
    if (ch === 34) {
      i = skipString(t, i);
      continue;
    }
    if (ch === 123 || ch === 91) depth++;
    else if (ch === 125 || ch === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

/** The member named `key` of the object at i; a repeated key gives its last occurrence, as JSON.parse does. */
function findMember(t: string, i: number, key: string): { keyAt: number; valueAt: number } | undefined {
  let found: { keyAt: number; valueAt: number } | undefined;
  i = skipWs(t, i + 1);
  while (i < t.length && t[i] !== '}') {
    const keyAt = i;
    const end = skipString(t, i);
    let name = t.slice(i + 1, end - 1);
    if (name.includes('\\')) {
      try {
        name = JSON.parse(t.slice(i, end)) as string;
      } catch {
        return found;
      }
    }
    i = skipWs(t, end);
    if (t[i] !== ':') return found;
    const valueAt = skipWs(t, i + 1);
    if (name === key) found = { keyAt, valueAt };
    i = skipWs(t, skipValue(t, valueAt));
    if (t[i] === ',') i = skipWs(t, i + 1);
  }
  return found;
}

function findElement(t: string, i: number, index: number): number | undefined {
  i = skipWs(t, i + 1);
  let n = 0;
  while (i < t.length && t[i] !== ']') {
    if (n === index) return i;
    i = skipWs(t, skipValue(t, i));
    if (t[i] === ',') i = skipWs(t, i + 1);
    n++;
  }
  return undefined;
}

