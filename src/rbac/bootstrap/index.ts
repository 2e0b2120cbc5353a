/**
 * The shipped Kubernetes versions (RBAC bootstrap policy and discovery table per minor version,
 * generated from each minor's Kubernetes source by scripts/gen-rbac-bootstrap.ts into ./data.ts;
 * see ./types.ts) and the choice of one for a target version (`--kube-version`).
 */
import type { ShippedKubernetesVersion } from './types.js';
import { SHIPPED_MINORS, shippedData } from './data.js';

export type { BootstrapObject, DiscoveredResource, ServedKubernetesVersion, ShippedKubernetesVersion } from './types.js';

const LOADED = new Map<string, ShippedKubernetesVersion>();

/** One version's data, expanded from the shared lists on first use (the same object afterwards). */
function load(minor: string): ShippedKubernetesVersion {
  let v = LOADED.get(minor);
  if (!v) {
    const data = shippedData();
    const entry = data.versions.find((x) => x.minor === minor);
    if (!entry) throw new Error(`no shipped data for Kubernetes ${minor}`);
    v = { ...entry, objects: entry.objects.map((i) => data.objects[i]!), resources: entry.resources.map((i) => data.resources[i]!) };
    LOADED.set(minor, v);
  }
  return v;
}

/** The shipped data of one minor version (`v1.35`), or undefined when it is not shipped. */
export function shippedVersion(minor: string): ShippedKubernetesVersion | undefined {
  return SHIPPED_MINORS.includes(minor) ? load(minor) : undefined;
}

/** Shipped versions, newest first; each parsed on first use. */
const SHIPPED: ReadonlyArray<{ minor: string; load: () => ShippedKubernetesVersion }> = SHIPPED_MINORS.map((minor) => ({ minor, load: () => load(minor) }));

/** The shipped minor versions (`v1.35`), newest first. */
export const SHIPPED_KUBERNETES_VERSIONS: readonly string[] = SHIPPED.map((v) => v.minor);

/** The newest shipped minor version (`v1.37` today): the default target. */
export const NEWEST_KUBERNETES_VERSION = SHIPPED_KUBERNETES_VERSIONS[0]!;

/** `v1.35`, `1.35`, `v1.35.4`, `1.35.4-gke.1` → 35; undefined when it is not a 1.x version. */
export function kubeMinorOf(text: string): number | undefined {
  const m = /^v?1\.(0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[-+].*)?$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

export interface ChosenVersion {
  /** The shipped minor version chosen (`v1.35`), known without loading the data. */
  minor: string;
  /** Its data (parsed on first access). */
  readonly data: ShippedKubernetesVersion;
  /** The version asked for (normalised to `v1.N`), or the default. */
  requested: string;
  /** False when no data for the requested minor is shipped and the nearest one is used. */
  exact: boolean;
}

const cache = new Map<string, ChosenVersion>();

/**
 * The shipped data for a target version: the same minor when shipped; otherwise the newest shipped
 * version not newer than it, or the oldest one for older targets (the bootstrap policy changes
 * little between minors; callers say that the nearest was used). Throws on text that is not a
 * Kubernetes 1.x version (callers validate user input with `kubeMinorOf` first).
 */
export function shippedVersionFor(kubeVersion?: string): ChosenVersion {
  const key = kubeVersion ?? '';
  const hit = cache.get(key);
  if (hit) return hit;
  let chosen: ChosenVersion;
  const of = (entry: (typeof SHIPPED)[number], requested: string, exact: boolean): ChosenVersion => ({
    minor: entry.minor,
    requested,
    exact,
    get data() {
      return entry.load();
    },
  });
  if (kubeVersion === undefined) chosen = of(SHIPPED[0]!, NEWEST_KUBERNETES_VERSION, true);
  else {
    const minor = kubeMinorOf(kubeVersion);
    if (minor === undefined) throw new Error(`not a Kubernetes version: "${kubeVersion}" (use v1.N)`);
    const minorOf = (v: { minor: string }): number => kubeMinorOf(v.minor)!;
    const exact = SHIPPED.find((v) => minorOf(v) === minor);
    const entry = exact ?? SHIPPED.find((v) => minorOf(v) <= minor) ?? SHIPPED[SHIPPED.length - 1]!;
    chosen = of(entry, `v1.${minor}`, exact !== undefined);
  }
  cache.set(key, chosen);
  return chosen;
}
