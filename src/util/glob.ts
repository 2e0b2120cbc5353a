/**
 * Path globs for `--exclude` and the config file's `exclude`, in the gitignore manner:
 * `*` matches within one path segment, `?` one character of a segment, `**` any number of
 * segments; a pattern without a `/` matches a file or directory name at any depth
 * (`*.test.yaml`, `vendor`); a pattern with a `/` is matched against the whole path relative to
 * the working directory (`charts/*\/tests`, `deploy/legacy/**`). A leading `./` and a trailing
 * `/` are ignored. Matching a directory excludes everything below it.
 */
import path from 'node:path';

function toRegExp(pattern: string): RegExp {
  let p = pattern.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (!p.includes('/')) p = `**/${p}`;
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === '*') {
      if (p[i + 1] === '*') {
        const slashAfter = p[i + 2] === '/';
        i += slashAfter ? 2 : 1;
        re += slashAfter ? '(?:.*/)?' : '.*';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export class PathFilter {
  private readonly res: RegExp[];
  constructor(readonly patterns: readonly string[], private readonly cwd: string = process.cwd()) {
    this.res = patterns.filter((p) => p.trim() !== '').map(toRegExp);
  }

  get empty(): boolean {
    return this.res.length === 0;
  }

  /** Whether a path (as found while walking, relative or absolute) is excluded. */
  excludes(p: string): boolean {
    if (this.res.length === 0) return false;
    const written = p.replace(/\\/g, '/').replace(/^\.\/+/, '');
    const abs = path.resolve(this.cwd, p);
    const rel = path.relative(this.cwd, abs).replace(/\\/g, '/');
    const candidates = rel && !rel.startsWith('../') ? [rel, written, abs.replace(/\\/g, '/')] : [written, abs.replace(/\\/g, '/')];
    return this.res.some((re) => candidates.some((c) => re.test(c)));
  }
}
