/**
 * Generates src/sources/runtime/behaviour/syscall-tables.ts: syscall number → name for x86_64 and arm64, from the
 * Linux UAPI headers (Debian's linux-libc-dev):
 *
 * - x86_64: asm/unistd_64.h (`#define __NR_read 0`);
 * - arm64: the generic table asm-generic/unistd.h, as arm64's uapi asm/unistd.h includes it: with
 *   __BITS_PER_LONG 64 and the wants arm64 declares (__ARCH_WANT_RENAMEAT, __ARCH_WANT_NEW_STAT,
 *   __ARCH_WANT_SET_GET_RLIMIT, __ARCH_WANT_TIME32_SYSCALLS, __ARCH_WANT_SYS_CLONE3,
 *   __ARCH_WANT_MEMFD_SECRET), `__NR3264_*` resolved to their 64-bit names (fcntl, newfstatat,
 *   mmap, …).
 *
 *   node --import tsx scripts/gen-syscall-tables.ts [X86_64_HEADER] [GENERIC_HEADER] [OUT]
 *
 * The preprocessor here evaluates only what these headers use: #ifdef, #ifndef, #if with
 * defined(X), `__BITS_PER_LONG ==/!= N`, `!`, `||`, `&&`, #else, #endif, and #define of numbers
 * and of other macros.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const X86 = process.argv[2] ?? '/usr/include/x86_64-linux-gnu/asm/unistd_64.h';
const GENERIC = process.argv[3] ?? '/usr/include/asm-generic/unistd.h';
const ARM64_WANTS = ['__ARCH_WANT_RENAMEAT', '__ARCH_WANT_NEW_STAT', '__ARCH_WANT_SET_GET_RLIMIT', '__ARCH_WANT_TIME32_SYSCALLS', '__ARCH_WANT_SYS_CLONE3', '__ARCH_WANT_MEMFD_SECRET'];

/** `#define __NR_x <value>` lines of a header, with the conditions evaluated for `defines` (values: numbers or macro names). */
export function preprocess(text: string, defines: Map<string, string>): Map<string, string> {
  const out = new Map(defines);
  const stack: Array<{ active: boolean; taken: boolean }> = [];
  const active = (): boolean => stack.every((s) => s.active);
  const value = (tok: string): number => {
    let v = tok;
    for (let i = 0; i < 10 && out.has(v); i++) v = out.get(v)!;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`not a number: ${tok}`);
    return n;
  };
  const evalCond = (expr: string): boolean => {
    const ors = expr.split('||');
    return ors.some((or) =>
      or.split('&&').every((term) => {
        let t = term.trim();
        let neg = false;
        while (t.startsWith('!')) {
          neg = !neg;
          t = t.slice(1).trim();
        }
        let r: boolean;
        const d = /^defined\s*\(?\s*(\w+)\s*\)?$/.exec(t);
        const c = /^(\w+)\s*(==|!=)\s*(\w+)$/.exec(t);
        if (d) r = out.has(d[1]!);
        else if (c) r = c[2] === '==' ? value(c[1]!) === value(c[3]!) : value(c[1]!) !== value(c[3]!);
        else throw new Error(`condition not understood: ${t}`);
        return neg ? !r : r;
      }),
    );
  };
  // join continued lines, drop comments
  const lines = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^#\s*ifdef\s+(\w+)/.exec(line))) {
      const a = active() && out.has(m[1]!);
      stack.push({ active: a, taken: a });
    } else if ((m = /^#\s*ifndef\s+(\w+)/.exec(line))) {
      const a = active() && !out.has(m[1]!);
      stack.push({ active: a, taken: a });
    } else if ((m = /^#\s*if\s+(.+)$/.exec(line))) {
      const a = active() && evalCond(m[1]!);
      stack.push({ active: a, taken: a });
    } else if (/^#\s*else\b/.test(line)) {
      const top = stack.pop()!;
      const a = active() && !top.taken;
      stack.push({ active: a, taken: true });
    } else if (/^#\s*endif\b/.test(line)) stack.pop();
    else if (active() && (m = /^#\s*define\s+(\w+)\s+(\w+)\s*$/.exec(line))) out.set(m[1]!, m[2]!);
    else if (active() && (m = /^#\s*define\s+(\w+)\s*$/.exec(line))) out.set(m[1]!, '1');
    else if (active() && (m = /^#\s*undef\s+(\w+)/.exec(line))) out.delete(m[1]!);
  }
  if (stack.length) throw new Error('unbalanced #if');
  return out;
}

/** number → name from the `__NR_<name>` macros. */
export function tableOf(defs: Map<string, string>): Record<string, string> {
  const byNumber = new Map<number, string>();
  for (const [k, v0] of defs) {
    if (!k.startsWith('__NR_') || k === '__NR_syscalls') continue;
    let v = v0;
    for (let i = 0; i < 10 && defs.has(v); i++) v = defs.get(v)!;
    const n = Number(v);
    if (!Number.isInteger(n)) continue;
    const name = k.slice('__NR_'.length);
    const had = byNumber.get(n);
    if (had && had !== name) throw new Error(`two names for ${n}: ${had}, ${name}`);
    byNumber.set(n, name);
  }
  return Object.fromEntries([...byNumber].sort((a, b) => a[0] - b[0]).map(([n, s]) => [String(n), s]));
}

function main(): void {
  const x86 = tableOf(preprocess(readFileSync(X86, 'utf8'), new Map()));
  const arm64 = tableOf(preprocess(readFileSync(GENERIC, 'utf8'), new Map([['__BITS_PER_LONG', '64'], ...ARM64_WANTS.map((w): [string, string] => [w, '1'])])));
  const version = /linux-libc-dev[^\n]*/.exec(process.env.LINUX_LIBC_DEV ?? '')?.[0];
  const table = (t: Record<string, string>): string => `{\n${Object.entries(t).map(([n, s]) => `  ${n}: '${s}',`).join('\n')}\n}`;
  const text = [
    '// Generated by scripts/gen-syscall-tables.ts from the Linux UAPI headers; do not edit.',
    `// Source: ${version ?? 'linux-libc-dev'} (x86_64: asm/unistd_64.h; arm64: asm-generic/unistd.h with arm64's wants).`,
    '',
    '/** x86_64 syscall numbers (the 64-bit ABI). */',
    `export const SYSCALLS_X86_64: Readonly<Record<number, string>> = ${table(x86)};`,
    '',
    '/** arm64 (AArch64) syscall numbers: the generic table. */',
    `export const SYSCALLS_ARM64: Readonly<Record<number, string>> = ${table(arm64)};`,
    '',
  ].join('\n');
  writeFileSync(process.argv[4] ?? path.join(ROOT, 'src/sources/runtime/behaviour/syscall-tables.ts'), text);
  console.log(`x86_64: ${Object.keys(x86).length} syscalls, arm64: ${Object.keys(arm64).length}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
