/** Runs an external tool and collects its output; never throws. */
import type { ChildProcess } from 'node:child_process';
import { builtin } from '../util/builtins.js';
import { redactCredentialText } from '../controls/support/credentials.js';

export interface ToolRun {
  /** 'missing' when the binary is not on PATH. */
  status: 'ok' | 'failed' | 'missing';
  stdout: string;
  stderr: string;
  code: number | null;
}

export function runTool(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ToolRun> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = builtin('child_process').spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      resolve({ status: 'missing', stdout: '', stderr: '', code: null });
      return;
    }
    // The time limit is kept here, not by spawn's `timeout` option: spawn clears its timer on
    // 'exit' only, and a binary that is missing never exits, so its timer kept the process
    // alive for the whole limit after the scan was done.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    let settled = false;
    const finish = (run: ToolRun): void => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      resolve(run);
    };
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish({ status: e.code === 'ENOENT' ? 'missing' : 'failed', stdout: '', stderr: e.message, code: null });
    });
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      let stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) stderr += `\nerror: ${cmd} did not finish within ${limitText(opts.timeoutMs ?? 120_000)} and was stopped`;
      finish({ status: code === 0 && !timedOut ? 'ok' : 'failed', stdout, stderr, code });
    });
  });
}

function limitText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** The last meaningful line of a tool's stderr, shortened, for error messages. */
export function toolError(run: ToolRun): string {
  const lines = run.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const l = lines.find((x) => /^error/i.test(x)) ?? lines[lines.length - 1] ?? `exit code ${run.code}`;
  return l.length > 300 ? l.slice(0, 300) + '…' : l;
}

/**
 * A tool's error line reduced to what is safe to show (issue 13, "never leak"): Helm's
 * `fail`/`required` messages, `--set` parse errors and kustomize's generator errors can quote
 * values from values files, `--set` and literals. So:
 * - every quoted string is replaced by `"…"`, except file names (`x.yaml`, `_helpers.tpl`);
 * - every text the caller knows to be a value given to the tool (`known`: values-file
 *   scalars, `--set` values, generator literals) is replaced by `…`;
 * - what the credential detectors see (src/controls/support/credentials.ts) is redacted.
 * The place (file:line:column) and the kind of error stay.
 */
export function safeToolText(text: string, known: readonly string[] = []): string {
  let out = text.replace(/"((?:[^"\\]|\\.)*)"|'([^']*)'|`([^`]*)`/g, (m, a?: string, b?: string, c?: string) => {
    const inner = a ?? b ?? c ?? '';
    return /^[\w./@-]+\.(ya?ml|tpl|txt|json|tgz)(:\d+(:\d+)?)?$/i.test(inner) ? m : '"…"';
  });
  // longest first, so a value that contains a shorter one is removed whole; file names
  // (`(chart/templates/x.yaml:12:3)`) are kept as they are
  const sorted = [...new Set(known.filter((k) => k.trim().length >= 4))].sort((x, y) => y.length - x.length);
  if (sorted.length > 0) {
    out = out
      .split(/(\s+)/)
      .map((word) => {
        if (/^\(?[\w./@-]+\.(ya?ml|tpl|txt|json|tgz)(:\d+)*\)?:?$/i.test(word)) return word;
        for (const k of sorted) if (word.includes(k)) word = replaceWhole(word, k);
        return word;
      })
      .join('');
    // a value with spaces in it spans words
    for (const k of sorted) if (/\s/.test(k) && out.includes(k)) out = replaceWhole(out, k);
  }
  // Go's fmt of maps and structs (`map[password:x]`) quotes values without quotes
  out = out.replace(/map\[[^\]]*\]/g, 'map[…]');
  return redactCredentialText(out);
}

/** Scalar texts of a YAML/JSON value (values files): what a tool error must never quote. */
export function scalarTexts(v: unknown, out: string[] = [], budget = { n: 100_000 }): string[] {
  if (budget.n-- <= 0) return out;
  if (typeof v === 'string') out.push(v, ...v.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= 3 && l !== v));
  else if (Array.isArray(v)) for (const x of v) scalarTexts(x, out, budget);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) scalarTexts(x, out, budget);
  return out;
}

/** `text` with every occurrence of `k` that is not part of a longer word replaced by `…`. */
function replaceWhole(text: string, k: string): string {
  let out = '';
  let from = 0;
  for (let i = text.indexOf(k); i !== -1; i = text.indexOf(k, i + 1)) {
    const before = i > 0 ? text[i - 1]! : ' ';
    const after = i + k.length < text.length ? text[i + k.length]! : ' ';
    if (/[A-Za-z0-9_]/.test(before) || /[A-Za-z0-9_]/.test(after)) continue;
    out += text.slice(from, i) + '…';
    from = i + k.length;
    i = from - 1;
  }
  return out + text.slice(from);
}
