/**
 * Where a command's objects come from: manifests (paths, `-`) or a live cluster (`--cluster`).
 * Shared by the analysis commands so every one of them reads both the same way.
 */
import type { Command } from 'commander';
import { Inventory } from '../inventory/inventory.js';
import type { InputProblem, K8sObject, Origin } from '../inventory/types.js';
import { loadInventory } from '../scan.js';
import { compareObjects, readCluster } from '../sources/cluster/read.js';
import { UsageError, type Io } from './io.js';
import { progressReporter } from './progress.js';
import { clusterConnection } from './scan.js';

export interface SourceFlags {
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

/**
 * Reads the objects from paths or from the cluster; problems (unreadable files, 403s) are
 * printed on stderr and counted, never fatal. An unreachable cluster throws UnreachableError.
 */
export async function readInventory(paths: string[], flags: SourceFlags, io: Io): Promise<{ inv: Inventory; errors: number; problems: InputProblem[] }> {
  let inv: Inventory;
  if (flags.cluster) {
    if (paths.length) throw new UsageError('give either paths or --cluster, not both');
    const objects: Array<{ object: K8sObject; origin: Origin }> = [];
    const progress = progressReporter(process.stderr, Boolean(flags.quiet));
    try {
      // only the connection flags: -n belongs to the command's own question here, not to the read
      const conn = clusterConnection({ kubeconfig: flags.kubeconfig, context: flags.context, concurrency: flags.concurrency, timeout: flags.timeout, maxPages: flags.maxPages });
      const read = await readCluster({ ...conn, onProgress: progress, onObject: (object, origin) => void objects.push({ object, origin }) });
      objects.sort((a, b) => compareObjects(a.object, b.object));
      inv = new Inventory(objects, read.problems);
    } finally {
      progress.end();
    }
  } else {
    if (paths.length === 0) throw new UsageError('nothing to read: give files or directories, - (standard input), or --cluster');
    inv = (await loadInventory(paths)).inventory;
  }
  for (const p of inv.problems) io.stderr(`kordon: ${p.severity}: ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}\n`);
  const problems = [...inv.problems];
  return { inv, errors: problems.filter((p) => p.severity === 'error').length, problems };
}
