/**
 * Pod Security Standards versions: `latest` or `v1.N`, as the `pod-security.kubernetes.io/*-version`
 * labels and the admission configuration accept them.
 */

/** A concrete policy version (`v1.<minor>`) or the newest one kordon knows. */
export type PssVersion = { latest: true } | { latest: false; minor: number };

/**
 * The newest policy version kordon tracks: what `latest` means. Upstream, the policy lives in
 * k8s.io/pod-security-admission (module v0.N ships policy v1.N). Checked against every released
 * module version on the Go module proxy up to v0.37.2 (the newest release; v0.38.0-beta.0 is a
 * pre-release with no policy change): the last check changes are v1.35 (procMount,
 * runAsNonRoot, runAsUser for user-namespace pods) and v1.37 (baseline sysctls
 * `net.ipv4.tcp_slow_start_after_idle` and `net.ipv4.tcp_notsent_lowat`); v0.36 changed no check.
 * Like the admission plugin, kordon evaluates `latest` and any newer version with these rules.
 */
export const NEWEST_PSS_MINOR = 37;

/** The upstream module release the policy data was last checked against. */
export const PSS_POLICY_SOURCE = 'k8s.io/pod-security-admission v0.37.2';

export const LATEST: PssVersion = { latest: true };

const VERSION_PATTERN = /^v1\.([0-9]|[1-9][0-9]*)$/;

export type ParsedVersion = { ok: true; version: PssVersion } | { ok: false; error: string };

/** Parses `latest` or `v1.N` exactly as the admission plugin does (no leading zeros, major 1 only). */
export function parsePssVersion(text: string): ParsedVersion {
  if (text === 'latest') return { ok: true, version: LATEST };
  const m = VERSION_PATTERN.exec(text);
  if (!m) return { ok: false, error: 'must be "latest" or "v1.x"' };
  const minor = Number(m[1]);
  if (!Number.isSafeInteger(minor)) return { ok: false, error: 'must be "latest" or "v1.x"' };
  return { ok: true, version: { latest: false, minor } };
}

export function formatPssVersion(v: PssVersion): string {
  return v.latest ? 'latest' : `v1.${v.minor}`;
}

/** The concrete policy version whose rules apply (`latest` → `v1.37`; `v1.99` → `v1.37`). */
export function policyVersionOf(v: PssVersion | string): string {
  return `v1.${effectiveMinor(toPssVersion(v))}`;
}

/**
 * The minor version whose rules apply: `latest` and versions newer than the newest known one
 * evaluate with the newest rules (the admission plugin caps them the same way).
 */
export function effectiveMinor(v: PssVersion): number {
  return v.latest ? NEWEST_PSS_MINOR : Math.min(v.minor, NEWEST_PSS_MINOR);
}

/** Accepts a parsed version or its text; throws on text that does not parse. */
export function toPssVersion(v: PssVersion | string): PssVersion {
  if (typeof v !== 'string') return v;
  const parsed = parsePssVersion(v);
  if (!parsed.ok) throw new Error(`invalid Pod Security version "${v}": ${parsed.error}`);
  return parsed.version;
}
