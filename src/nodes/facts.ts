/**
 * What the CIS items of sections 1–4 are judged on: the command lines of the control-plane
 * components and the kubelet, the kubelet's and kube-proxy's configuration, and (on a node) the
 * files the benchmark lists. Gathered either from the API (mirror pods, `configz`, the kube-proxy
 * ConfigMap) or on a node (`kordon node`: a procfs-like tree and the file system under a root).
 */
import type { ParsedFlags } from './flags.js';

export type Component = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd' | 'kubelet' | 'kube-proxy';
export const COMPONENTS: readonly Component[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kubelet', 'kube-proxy'];

export interface ComponentFacts {
  component: Component;
  flags: ParsedFlags;
  /** Environment of the process or container (etcd reads `ETCD_*` variables as flags); names only matter. */
  env: Record<string, string>;
  /** Where it was read: `mirror pod kube-system/kube-apiserver-cp1`, `process 812`. */
  where: string;
}

export interface FileFact {
  path: string;
  /** Permission bits (0o777 mask of st_mode). */
  mode: number;
  uid: number;
  gid: number;
  /** Owner and group names from the root's /etc/passwd and /etc/group (numeric when unknown). */
  user: string;
  group: string;
  isDirectory: boolean;
}

/** The node's file system, read only through this (so tests can point it at a temp dir). */
export interface NodeFiles {
  stat(path: string): FileFact | undefined;
  /** Regular files under a directory, recursively (paths as seen on the node), sorted. */
  list(dir: string): string[];
  read(path: string): string | undefined;
}

export interface ConfigFacts {
  config: Record<string, unknown>;
  /** `configz of node n1`, `/var/lib/kubelet/config.yaml`. */
  where: string;
  /** Whether the object is the effective configuration (configz: defaults applied) or a file (v1beta1 defaults apply to missing fields). */
  effective: boolean;
}

export interface CisFacts {
  /** `api`: what the API shows (no file system); `node`: read on the node itself. */
  access: 'api' | 'node';
  components: Partial<Record<Component, ComponentFacts>>;
  kubeletConfig?: ConfigFacts;
  kubeProxyConfig?: ConfigFacts;
  files?: NodeFiles;
}
