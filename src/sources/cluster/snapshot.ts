/**
 * Snapshots: everything read from a cluster, as gzip JSON, written page by page. Scanning a
 * snapshot gives the same findings as scanning the cluster it came from.
 */
import { promises as fs } from 'node:fs';
import { createGzip, gunzipSync } from 'node:zlib';
import { once } from 'node:events';
import type { InputProblem, K8sObject, Origin } from '../../inventory/types.js';
import { compareObjects, readCluster, type ClusterReadResult, type CoverageEntry, type ReadClusterOptions } from './read.js';
import { redactCredentials } from '../../controls/support/snapshot-redaction.js';
import { errnoText } from '../../util/errno.js';

export const SNAPSHOT_API_VERSION = 'kordon.dev/v1';
export const SNAPSHOT_KIND = 'Snapshot';

export interface Snapshot {
  apiVersion: typeof SNAPSHOT_API_VERSION;
  kind: typeof SNAPSHOT_KIND;
  source: string;
  context: string;
  server: string;
  serverVersion?: ClusterReadResult['serverVersion'];
  items: K8sObject[];
  coverage: CoverageEntry[];
  problems: InputProblem[];
  /** How many values outside Secrets were replaced because they hold a credential. */
  redactedValues?: number;
}

/** Reads a cluster straight into a gzip file; memory stays bounded by one page. */
export async function writeSnapshot(file: string, opts: Omit<ReadClusterOptions, 'onObject'>): Promise<ClusterReadResult> {
  // opened first: a file that cannot be written is a clear error before anything is read
  let handle;
  try {
    handle = await fs.open(file, 'w');
  } catch (err) {
    throw new Error(`cannot write the snapshot ${file}: ${errnoText(err) ?? 'error'}`);
  }
  const gz = createGzip();
  const out = handle.createWriteStream();
  // a write that fails later (a full disk) ends the read with that error, never an unhandled event
  let failed: Error | undefined;
  const fail = (err: Error): void => {
    failed ??= err;
  };
  gz.on('error', fail);
  out.on('error', fail);
  gz.pipe(out);
  try {
    const r = await writeInto(gz, out, opts);
    if (failed) throw failed;
    return r;
  } catch (err) {
    // a read that fails (no kubeconfig, an unreachable server) leaves no partial snapshot behind
    gz.destroy();
    out.destroy();
    if (!out.closed) await once(out, 'close').catch(() => undefined);
    await fs.rm(file, { force: true });
    throw err;
  }
}

async function writeInto(gz: ReturnType<typeof createGzip>, out: NodeJS.WritableStream & { closed?: boolean }, opts: Omit<ReadClusterOptions, 'onObject'>): Promise<ClusterReadResult> {
  const write = async (s: string): Promise<void> => {
    if (!gz.write(s)) await once(gz, 'drain');
  };
  await write(`{"apiVersion":"${SNAPSHOT_API_VERSION}","kind":"${SNAPSHOT_KIND}","items":[`);
  let first = true;
  let redactedValues = 0;
  const mismatched: InputProblem[] = [];
  const result = await readCluster({
    ...opts,
    onObject: async (obj) => {
      // credentials found outside Secrets (env values, ConfigMaps, annotations, commands) are
      // not copied: each is replaced by a stand-in the controls judge the same way
      const r = redactCredentials(obj);
      redactedValues += r.redacted;
      if (r.mismatch) {
        const where = [obj.kind, obj.metadata?.namespace, obj.metadata?.name].filter(Boolean).join('/');
        mismatched.push({ source: '', code: 'redacted', severity: 'warning', message: `${where}: credentials were redacted from the snapshot, and an offline scan of it may report them differently than the live scan` });
      }
      await write((first ? '\n' : ',\n') + JSON.stringify(r.object));
      first = false;
    },
  });
  for (const p of mismatched) p.source = result.source;
  const tail = {
    source: result.source,
    context: result.context,
    server: result.server,
    ...(result.serverVersion ? { serverVersion: result.serverVersion } : {}),
    coverage: result.coverage,
    problems: [...result.problems, ...mismatched],
    redactedValues,
  };
  await write('\n],' + JSON.stringify(tail).slice(1) + '\n');
  gz.end();
  await once(out, 'close');
  return result;
}

export function isGzip(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Reads a snapshot file; objects come back in the stable cluster order with cluster origins. */
export async function readSnapshot(file: string): Promise<{ snapshot?: Snapshot; objects: Array<{ object: K8sObject; origin: Origin }>; problems: InputProblem[] }> {
  let snap: Snapshot;
  try {
    const buf = await fs.readFile(file);
    const text = (isGzip(buf) ? gunzipSync(buf) : buf).toString('utf8');
    snap = JSON.parse(text) as Snapshot;
  } catch (err) {
    return { objects: [], problems: [{ source: file, code: 'unreadable', severity: 'error', message: `cannot read snapshot ${file}: ${(err as Error).message.split('\n')[0]}` }] };
  }
  if (snap?.apiVersion !== SNAPSHOT_API_VERSION || snap.kind !== SNAPSHOT_KIND || !Array.isArray(snap.items)) {
    return { objects: [], problems: [{ source: file, code: 'not-an-object', severity: 'error', message: `${file} is gzip data but not a kordon snapshot (${SNAPSHOT_API_VERSION} ${SNAPSHOT_KIND})` }] };
  }
  const items = [...snap.items].sort(compareObjects);
  const origin: Origin = { source: snap.source, documentIndex: 0, itemPointer: '', line: 0, column: 0, via: 'cluster' };
  return { snapshot: snap, objects: items.map((object) => ({ object, origin })), problems: [...(snap.problems ?? [])] };
}
