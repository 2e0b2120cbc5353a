/**
 * Splits a YAML stream into documents without parsing it. At the start of a line, `---` and
 * `...` are always document markers in YAML (they cannot occur inside any scalar), so a line
 * scan is exact and lets each document be parsed, reported and located on its own.
 */

export interface RawDocument {
  /** 0-based index in the stream. */
  index: number;
  /** The document text (without its `---` line). */
  text: string;
  /** Offset of `text` in the stream. */
  offset: number;
  /** 1-based line of the first line of `text`. */
  line: number;
}

export function splitYamlStream(stream: string): RawDocument[] {
  const docs: RawDocument[] = [];
  let start = 0;
  let startLine = 1;
  let pos = 0;
  let line = 1;
  const push = (end: number): void => {
    const text = stream.slice(start, end);
    docs.push({ index: docs.length, text, offset: start, line: startLine });
  };
  while (pos <= stream.length) {
    const nl = stream.indexOf('\n', pos);
    const end = nl === -1 ? stream.length : nl;
    const c0 = stream.charCodeAt(pos);
    if ((c0 === 45 /* - */ || c0 === 46) /* . */ && end - pos >= 3) {
      const marker = stream.slice(pos, pos + 3);
      const after = stream.charCodeAt(pos + 3);
      const boundary = pos + 3 === end || after === 32 || after === 9 || after === 13 || after === 35;
      if (boundary && (marker === '---' || marker === '...')) {
        // close the current document, if it has anything in it
        push(pos);
        if (marker === '---') {
          // content after `--- ` on the same line belongs to the new document
          start = pos + 3;
          startLine = line;
        } else {
          start = nl === -1 ? stream.length : nl + 1;
          startLine = line + 1;
        }
        if (nl === -1) break;
        pos = nl + 1;
        line++;
        continue;
      }
    }
    if (nl === -1) break;
    pos = nl + 1;
    line++;
  }
  if (start < stream.length) push(stream.length);
  return docs.filter((d) => hasContent(d.text, 0, d.text.length)).map((d, index) => ({ ...d, index }));
}

/** True when the range holds anything besides whitespace, comments and directives. */
function hasContent(s: string, from: number, to: number): boolean {
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) {
      i++;
      continue;
    }
    if (c === 35 /* # */ || (c === 37 /* % */ && (i === 0 || s.charCodeAt(i - 1) === 10))) {
      const nl = s.indexOf('\n', i);
      if (nl === -1 || nl >= to) return false;
      i = nl + 1;
      continue;
    }
    return true;
  }
  return false;
}

/** 1-based line and column of an offset in a text. */
export function lineColAt(text: string, offset: number, baseLine = 1): { line: number; column: number } {
  let line = baseLine;
  let lastNl = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lastNl = i;
  }
  return { line, column: offset - lastNl };
}
