/**
 * Reading one report file: bounded read, UTF-8, JSON.parse, and positions for problems.
 *
 * A report is decoded whole (JSON.parse is the fastest reader Node has), and its entries are then
 * walked one at a time into small records: the decoded text is dropped as soon as the file is
 * read, so memory grows with the records kept, not with the reports' size. Positions (line of a
 * JSON pointer) are computed only when a problem needs one: the bracket structure of the text is
 * built lazily, once per file.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { InputProblem, ProblemCode } from '../../inventory/types.js';
import { jsonStructure, lineAndColumn, lineStartsOf, offsetOfSegments, pointerSegments, type JsonStructure } from '../manifests/json-structure.js';

export const DEFAULT_MAX_REPORT_SIZE = 512 * 1024 * 1024;

/** One file's text, with a lazy pointer → line lookup for problems. */
export class ReportText {
  private st: JsonStructure | undefined;
  private starts: Uint32Array | undefined;
  constructor(
    readonly source: string,
    readonly text: string,
  ) {}

  /** 1-based line of a JSON pointer (the deepest part of it that exists). */
  lineOf(pointer: string): number | undefined {
    try {
      this.st ??= jsonStructure(this.text);
      this.starts ??= lineStartsOf(this.text);
      const off = offsetOfSegments(this.text, this.st, { at: new Int32Array(0), next: new Int32Array(0) }, pointerSegments(pointer));
      return lineAndColumn(this.starts, off).line;
    } catch {
      return undefined;
    }
  }

  /** 1-based line of a character offset. */
  lineAt(offset: number): number {
    this.starts ??= lineStartsOf(this.text);
    return lineAndColumn(this.starts, Math.max(0, Math.min(offset, this.text.length))).line;
  }
}

/** Collects problems for one source; messages name fields and pointers, never values. */
export class ProblemSink {
  constructor(
    readonly out: InputProblem[],
    readonly doc: ReportText | undefined,
    readonly source: string,
  ) {}

  /** A problem at a JSON pointer of the file (the pointer is said in the message, the line located). */
  at(pointer: string, message: string, code: ProblemCode = 'wrong-type', severity: 'error' | 'warning' = 'error'): void {
    const line = this.doc?.lineOf(pointer);
    this.out.push({ source: this.source, ...(line ? { line } : {}), code, severity, message: pointer ? `${pointer}: ${message}` : message });
  }

  /** A problem at a line (JSON Lines inputs). */
  line(line: number | undefined, message: string, code: ProblemCode = 'wrong-type', severity: 'error' | 'warning' = 'error'): void {
    this.out.push({ source: this.source, ...(line ? { line } : {}), code, severity, message });
  }
}

export type ReadText = { text: string } | { problem: InputProblem };

/** Reads a file as UTF-8 text within a size limit; a problem when it cannot. */
export async function readReportText(file: string, maxSize = DEFAULT_MAX_REPORT_SIZE): Promise<ReadText> {
  let buf: Buffer;
  try {
    const st = await fs.stat(file);
    if (st.size > maxSize) return { problem: { source: file, code: 'too-large', severity: 'error', message: `${st.size} bytes is more than the ${maxSize} bytes read; not read` } };
    buf = await fs.readFile(file);
  } catch (err) {
    return { problem: { source: file, code: 'unreadable', severity: 'error', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}` } };
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buf);
  if (text.includes('\uFFFD') && !buf.includes(Buffer.from('\uFFFD'))) {
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    return { problem: { source: file, line, code: 'invalid-utf8', severity: 'error', message: 'not valid UTF-8; not read' } };
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** JSON.parse with the failure turned into a problem at the line where the text stops making sense. */
export function parseJson(doc: ReportText): { value: unknown } | { problem: InputProblem } {
  try {
    return { value: JSON.parse(doc.text) };
  } catch (err) {
    const msg = (err as Error).message;
    const m = /position (\d+)/.exec(msg);
    const truncated = /end of JSON input|Unterminated/i.test(msg);
    const offset = m ? Number(m[1]) : truncated ? doc.text.length : 0;
    return {
      problem: {
        source: doc.source,
        line: doc.lineAt(offset),
        code: 'json-syntax',
        severity: 'error',
        message: truncated ? 'the JSON text ends early (truncated?); not read' : 'not valid JSON here; not read',
      },
    };
  }
}

/** Files under the given paths (directories recursively, in name order) with one of the extensions. */
export async function expandInputs(paths: readonly string[], exts: readonly string[], problems: InputProblem[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string, top: boolean): Promise<void> => {
    let st;
    try {
      st = await fs.stat(p);
    } catch (err) {
      problems.push({ source: p, code: 'unreadable', severity: 'error', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? 'error'}` });
      return;
    }
    if (st.isDirectory()) {
      const names = (await fs.readdir(p)).filter((n) => !n.startsWith('.')).sort();
      for (const n of names) await walk(path.join(p, n), false);
    } else if (top || exts.some((e) => p.toLowerCase().endsWith(e))) out.push(p);
  };
  for (const p of paths) await walk(p, true);
  return out;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
