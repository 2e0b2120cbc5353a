/**
 * The shipped Kubernetes versions (RBAC bootstrap policy and discovery table per minor version,
 * generated from a real kube-apiserver; see ./types.ts) and the choice of one for a target
 * version (`--kube-version`).
 */
import type { ShippedKubernetesVersion } from './types.js';
import { k8s_1_35 } from './v1.35.js';

export type { BootstrapObject, DiscoveredResource, ShippedKubernetesVersion } from './types.js';

/** Shipped versions, newest first; each parsed on first use. */
const SHIPPED: ReadonlyArray<{ minor: string; load: () => ShippedKubernetesVersion }> = [{ minor: 'v1.35', load: k8s_1_35 }];

/** The shipped minor versions (`v1.35`), newest first. */
export const SHIPPED_KUBERNETES_VERSIONS: readonly string[] = SHIPPED.map((v) => v.minor);

/** The newest shipped minor version (`v1.35`): the default target. */
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
