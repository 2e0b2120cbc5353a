/**
 * Where a command's objects come from: manifests (paths, `-`) or a live cluster (`--cluster`).
 * Shared by the analysis commands so every one of them reads both the same way.
 */
import type { Command } from 'commander';
import { Inventory } from '../inventory/inventory.js';
import type { InputProblem, K8sObject, Origin } from '../inventory/types.js';
import { loadInventory } from '../scan.js';
import { compareObjects, readCluster, type CoverageEntry } from '../sources/cluster/read.js';
import { inputState, type InputState } from './partial-input.js';
import { collect, stderrSink, UsageError, type Io } from './io.js';
import type { LoadOptions } from '../scan.js';
import { checkNamespaceName } from '../sources/namespaces.js';
import { progressReporter } from './progress.js';
import { clusterConnection, resolveConfig } from './scan.js';
import type { ResolvedConfig } from '../config/load.js';
import { targetVersionFromInputs } from '../rbac/builtins.js';
import { kubeMinorOf, shippedVersionFor, SHIPPED_KUBERNETES_VERSIONS } from '../rbac/bootstrap/index.js';

export interface SourceFlags extends InputFlags {
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  concurrency?: string;
  timeout?: string;
  maxPages?: string;
  quiet?: boolean;
}

/** Adds --cluster and its connection flags (no -n: the commands use it for their own question). */
export function withClusterOptions(cmd: Command): Command {
  return cmd
    .option('--cluster', 'read the live cluster of the current kubeconfig context instead of files')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--concurrency <n>', 'parallel list requests against the API server', '4')
    .option('--timeout <seconds>', 'the most one request to the API server may take, from connecting to its last byte', '30')
    .option('--max-pages <n>', 'pages (of 500 objects) followed per list before it is reported as cut short', '10000')
    .option('-q, --quiet', 'no progress on stderr');
}

/** The input options of file, chart and kustomization reads (registered once here, for every command that reads paths). */
export interface InputFlags {
  defaultNamespace?: string;
  values?: string[];
  set?: string[];
  releaseName?: string;
  kubeVersion?: string;
  maxFileSize?: string;
  exclude?: string[];
  /** `--config FILE`; false: `--no-config`. */
  config?: string | false;
}

/**
 * Adds the input options. `--namespace`/`-n` is not one of them: `scan` uses it to filter and
 * `rbac`/`netpol` for their own question, so the namespace manifests are deployed to is
 * `--default-namespace` everywhere (docs/cli.md).
 */
export function withInputOptions(cmd: Command): Command {
  return cmd
    .option('--default-namespace <ns>', 'namespace of objects that name none (as kubectl/helm -n); also .Release.Namespace of charts (default: default)')
    .option('--values <file>', 'Helm values file for charts (repeatable)', collect)
    .option('--set <key=value>', 'Helm --set value for charts (repeatable)', collect)
    .option('--release-name <name>', 'Helm release name for charts (.Release.Name; default kordon)')
    .option('--kube-version <version>', `Kubernetes version charts are rendered for (helm template --kube-version; default: helm's, or the lowest a chart's kubeVersion allows) and whose built-in RBAC roles and API resources are assumed (shipped: ${SHIPPED_KUBERNETES_VERSIONS[SHIPPED_KUBERNETES_VERSIONS.length - 1]}..${SHIPPED_KUBERNETES_VERSIONS[0]}; default: the cluster's or snapshot's version, else ${SHIPPED_KUBERNETES_VERSIONS[0]})`)
    .option('--max-file-size <bytes>', 'largest input file (and standard input) read (default 268435456)')
    .option('--exclude <glob>', 'do not read files or directories matching this glob while walking directories (repeatable)', collect)
    .option('--config <file>', 'config file (default: .kordon.yaml or .kordon.yml here or in a directory above, up to the git repository root)')
    .option('--no-config', 'read no config file');
}

/**
 * What to read with: the input flags over the config file's input settings (exclude,
 * defaultNamespace, helm) over the defaults (docs/config.md, "Precedence"). Every command that
 * reads inputs uses it, so a `.kordon.yaml` reads the same objects for all of them.
 */
export function mergedLoadOptions(flags: InputFlags, cfg: ResolvedConfig | undefined): LoadOptions {
  const input = loadOptionsOf(flags);
  const c = cfg?.settings;
  const exclude = [...(cfg?.exclude ?? []), ...(flags.exclude ?? [])];
  const defaultNamespace = input.defaultNamespace ?? c?.defaultNamespace;
  const releaseName = input.helm?.releaseName ?? c?.helm?.releaseName;
  const kubeVersion = input.helm?.kubeVersion ?? c?.helm?.kubeVersion;
  return {
    ...input,
    ...(exclude.length ? { exclude } : {}),
    ...(defaultNamespace ? { defaultNamespace } : {}),
    helm: {
      values: [...(cfg?.helmValues ?? []), ...(flags.values ?? [])],
      set: [...(c?.helm?.set ?? []), ...(flags.set ?? [])],
      ...(releaseName ? { releaseName } : {}),
      ...(c?.helm?.namespace ? { namespace: c.helm.namespace } : {}),
      ...(kubeVersion ? { kubeVersion } : {}),
    },
  };
}

/** The config file of a command that reads inputs (`--config`, `--no-config`, else found upward), named on stderr when found on its own. */
export async function inputConfig(flags: InputFlags & { quiet?: boolean }, io: Io): Promise<ResolvedConfig | undefined> {
  const cfg = await resolveConfig(flags.config);
  if (cfg && typeof flags.config !== 'string' && !flags.quiet) io.stderr(`kordon: using config file ${cfg.file}\n`);
  return cfg;
}

/** LoadOptions from the input options; a bad value is a usage error. */
export function loadOptionsOf(flags: InputFlags): LoadOptions {
  const opts: LoadOptions = {};
  if (flags.maxFileSize !== undefined) {
    const n = Number(flags.maxFileSize);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError('--max-file-size takes a positive number of bytes');
    opts.maxFileSize = n;
  }
  if (flags.defaultNamespace !== undefined) {
    const bad = checkNamespaceName(flags.defaultNamespace);
    if (bad) throw new UsageError(`--default-namespace: ${bad}`);
    opts.defaultNamespace = flags.defaultNamespace;
  }
  if (flags.kubeVersion !== undefined && !/^v?\d+\.\d+(\.\d+)?$/.test(flags.kubeVersion)) throw new UsageError(`--kube-version takes a version such as 1.31 or v1.31.2, not "${flags.kubeVersion}"`);
  if (flags.releaseName !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(flags.releaseName)) throw new UsageError(`--release-name: "${flags.releaseName}" is not a valid Helm release name (lowercase letters, digits and '-')`);
  opts.helm = {
    values: flags.values ?? [],
    set: flags.set ?? [],
    ...(flags.releaseName ? { releaseName: flags.releaseName } : {}),
    ...(flags.kubeVersion ? { kubeVersion: flags.kubeVersion } : {}),
  };
  return opts;
}

/**
 * Reads the objects from paths or from the cluster; problems (unreadable files, 403s) are
 * printed on stderr and counted, never fatal. An unreachable cluster throws UnreachableError.
 */
/** Says on stderr when `--kube-version` names a version whose built-in RBAC policy is not shipped (the nearest stands in). */
export function noteKubeVersion(io: Io, text: string | undefined): void {
  if (text === undefined || kubeMinorOf(text) === undefined) return;
  const chosen = shippedVersionFor(text);
  if (!chosen.exact) io.stderr(`kordon: note: no built-in RBAC policy for Kubernetes ${chosen.requested} is shipped; using ${chosen.minor}'s (shipped: ${SHIPPED_KUBERNETES_VERSIONS.join(', ')})\n`);
}

export async function readInventory(paths: string[], flags: SourceFlags, io: Io, opts: { namespaces?: string[]; config?: ResolvedConfig | null } = {}): Promise<{ inv: Inventory; errors: number; problems: InputProblem[]; coverage?: CoverageEntry[]; state: InputState }> {
  let inv: Inventory;
  let coverage: CoverageEntry[] | undefined;
  noteKubeVersion(io, flags.kubeVersion);
  if (flags.cluster) {
    if (paths.length) throw new UsageError('give either paths or --cluster, not both');
    const objects: Array<{ object: K8sObject; origin: Origin }> = [];
    const progress = progressReporter(stderrSink, Boolean(flags.quiet));
    try {
      // only the connection flags: -n belongs to the command's own question here, not to the read
      // (unless the command asks to read only some namespaces: opts.namespaces)
      const conn = clusterConnection({ kubeconfig: flags.kubeconfig, context: flags.context, concurrency: flags.concurrency, timeout: flags.timeout, maxPages: flags.maxPages, ...(opts.namespaces ? { namespace: opts.namespaces } : {}) });
      const read = await readCluster({ ...conn, onProgress: progress, onObject: (object, origin) => void objects.push({ object, origin }) });
      objects.sort((a, b) => compareObjects(a.object, b.object));
      inv = new Inventory(objects, read.problems);
      targetVersionFromInputs(inv, flags.kubeVersion, read.serverVersion);
      coverage = read.coverage;
    } finally {
      progress.end();
    }
  } else {
    if (paths.length === 0) throw new UsageError('nothing to read: give files or directories, - (standard input), or --cluster');
    // the config file's input settings (a caller that read the config passes it; null: none)
    const cfg = opts.config === undefined ? await inputConfig(flags, io) : (opts.config ?? undefined);
    const loaded = await loadInventory(paths, mergedLoadOptions(flags, cfg));
    inv = loaded.inventory;
    coverage = loaded.coverage;
  }
  // problems are part of every command's own output (src/cli/partial-input.ts), not printed here
  const problems = [...inv.problems];
  const state = inputState(problems, coverage);
  return { inv, errors: state.errors, problems, ...(coverage ? { coverage } : {}), state };
}
