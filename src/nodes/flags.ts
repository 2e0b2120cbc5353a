/**
 * Command lines of Kubernetes components (`kube-apiserver --authorization-mode=Node,RBAC ...`)
 * read the way their flag library (spf13/pflag) reads them: `--name=value`, `--name value` for
 * flags that take a value, a bare `--name` for booleans; the last occurrence wins, as in pflag.
 */

/** Flags of the control-plane components and the kubelet that are booleans (a bare `--flag` is true). */
const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'anonymous-auth', 'profiling', 'service-account-lookup', 'allow-privileged', 'use-service-account-credentials',
  'client-cert-auth', 'peer-client-cert-auth', 'auto-tls', 'peer-auto-tls', 'rotate-certificates', 'make-iptables-util-chains',
  'protect-kernel-defaults', 'enable-debugging-handlers', 'service-account-extend-token-expiration', 'unsafe-no-fsync',
  'enable-v2', 'strict-reconfig-check', 'contention-profiling', 'leader-elect', 'authentication-skip-lookup',
  'enable-aggregator-routing', 'enable-priority-and-fairness', 'experimental-initial-corrupt-check', 'cleanup',
]);

export interface ParsedFlags {
  /** The component's executable (first word), when known. */
  binary?: string;
  /** Flag name (without dashes) → its value as written (the last occurrence wins). */
  values: Map<string, string>;
  /** Flag name → index of the word in the command line that set it (for pointers into a pod's `command`). */
  index: Map<string, number>;
}

/** Parses a command line (argv words; the first may be the binary). */
export function parseFlags(words: readonly string[], opts: { hasBinary?: boolean } = {}): ParsedFlags {
  const values = new Map<string, string>();
  const index = new Map<string, number>();
  let start = 0;
  let binary: string | undefined;
  if (opts.hasBinary !== false && words.length > 0 && !words[0]!.startsWith('-')) {
    binary = words[0]!;
    start = 1;
  }
  for (let i = start; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-') || w === '-' || w === '--') continue;
    const body = w.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq >= 0) {
      values.set(body.slice(0, eq), body.slice(eq + 1));
      index.set(body.slice(0, eq), i);
      continue;
    }
    const next = words[i + 1];
    if (!BOOLEAN_FLAGS.has(body) && next !== undefined && !next.startsWith('-')) {
      values.set(body, next);
      index.set(body, i);
      i++;
    } else {
      values.set(body, 'true');
      index.set(body, i);
    }
  }
  return { ...(binary !== undefined ? { binary } : {}), values, index };
}

/** A comma-separated flag value as a list (empty entries dropped). */
export function listValue(v: string | undefined): string[] {
  return v === undefined ? [] : v.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** pflag's boolean parsing (strconv.ParseBool); undefined when the text is no boolean. */
export function boolValue(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** `--feature-gates=A=true,B=false` → { A: true, B: false }. */
export function featureGates(v: string | undefined): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const part of listValue(v)) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const b = boolValue(part.slice(eq + 1).trim());
    if (b !== undefined) out[part.slice(0, eq).trim()] = b;
  }
  return out;
}
