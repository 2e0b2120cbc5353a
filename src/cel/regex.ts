/**
 * RE2 patterns (what Kubernetes' CEL uses) run by JavaScript's RegExp: RE2's leading inline
 * flags `(?i)`, `(?s)`, `(?m)`, `(?U)`-free, become RegExp flags; RE2 has no backreferences or
 * lookaround, so a pattern using them is rejected as RE2 would reject it.
 */
import { CelRuntimeError } from './runtime.js';

const cache = new Map<string, RegExp>();

export function compileRegex(pattern: string, extraFlags = ''): RegExp {
  const key = `${extraFlags}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let p = pattern;
  let flags = 'u' + extraFlags;
  const m = /^\(\?([ims]+)\)/.exec(p);
  if (m) {
    for (const f of m[1]!) if (!flags.includes(f)) flags += f;
    p = p.slice(m[0].length);
  }
  if (/\(\?[=!<]|\\[1-9]/.test(p)) throw new CelRuntimeError(`invalid regular expression (RE2 has no lookaround or backreferences): ${pattern}`);
  let re: RegExp;
  try {
    re = new RegExp(p.replace(/\\z/g, '$').replace(/\(\?P</g, '(?<'), flags);
  } catch (e) {
    throw new CelRuntimeError(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}
