/**
 * Snapshots: everything read from a cluster, as gzip JSON, written page by page. Scanning a
 * snapshot gives the same findings as scanning the cluster it came from.
 */
import { promises as fs, rmSync } from 'node:fs';
import path from 'node:path';
import buffer from 'node:buffer';
import type { createGzip } from 'node:zlib';
import { builtin } from '../../util/builtins.js';
import type { InputProblem, K8sObject, Origin } from '../../inventory/types.js';
import { compareObjects, readCluster, type ClusterReadResult, type CoverageEntry, type ReadClusterOptions } from './read.js';
import { redactCredentials } from '../../controls/support/snapshot-redaction.js';
import { errnoText } from '../../util/errno.js';
import { displayServer } from './client.js';
import { DEFAULT_MAX_FILE_SIZE } from '../manifests/load.js';
import { DEFAULT_LIMITS, exceedsDepth } from '../manifests/parse.js';

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

/** The snapshot file could not be written (a missing folder, no permission, a full disk). */
export class SnapshotWriteError extends Error {}

/** Temporary files of snapshots being written, removed by removeUnfinishedSnapshots. */
const unfinished = new Set<string>();

/**
 * Removes the temporary files of the snapshots still being written (synchronously: for signal
 * handlers, which exit right after). The files at the `-o` paths are never touched.
 */
export function removeUnfinishedSnapshots(): void {
  for (const temp of unfinished) {
    try {
      rmSync(temp, { force: true });
    } catch {
      /* nothing more can be done while exiting */
    }
  }
  unfinished.clear();
}

/**
 * Reads a cluster straight into a gzip file; memory stays bounded by one page. The snapshot is
 * written to a temporary file in the same folder (readable by its owner only) and renamed to
 * `file` once complete: a read or write that fails, or a process that is stopped, never leaves a
 * truncated snapshot under the name, and never removes a good file that was there.
 */
export async function writeSnapshot(file: string, opts: Omit<ReadClusterOptions, 'onObject'>): Promise<ClusterReadResult> {
  // opened first: a folder that cannot be written is a clear error before anything is read
  const temp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.${builtin('crypto').randomBytes(4).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await fs.open(temp, 'wx', 0o600);
  } catch (err) {
    throw new SnapshotWriteError(`cannot write the snapshot ${file}: ${errnoText(err) === 'no such file or directory' ? 'its folder does not exist' : (errnoText(err) ?? 'error')}`);
  }
  unfinished.add(temp);
  const gz = builtin('zlib').createGzip();
  const out = handle.createWriteStream();
  // a write that fails later (a full disk) ends the read with that error, never an unhandled event
  let failed: Error | undefined;
  let broke: (err: Error) => void = () => {};
  const broken = new Promise<never>((_, reject) => (broke = reject));
  broken.catch(() => undefined);
  const fail = (err: Error): void => {
    failed ??= new SnapshotWriteError(`cannot write the snapshot ${file}: ${errnoText(err) ?? 'error'}`);
    broke(failed);
  };
  gz.on('error', fail);
  out.on('error', fail);
  gz.pipe(out);
  try {
    const r = await writeInto(gz, out, opts, broken);
    if (failed) throw failed;
    try {
      await fs.rename(temp, file);
    } catch (err) {
      throw new SnapshotWriteError(`cannot write the snapshot ${file}: ${errnoText(err) ?? 'error'}`);
    }
    unfinished.delete(temp);
    return r;
  } catch (err) {
    // a read that fails (no kubeconfig, an unreachable server) leaves no partial snapshot behind
    gz.destroy();
    out.destroy();
    if (!out.closed) await builtin('events').once(out, 'close').catch(() => undefined);
    await fs.rm(temp, { force: true });
    unfinished.delete(temp);
    throw err;
  }
}

async function writeInto(gz: ReturnType<typeof createGzip>, out: NodeJS.WritableStream & { closed?: boolean }, opts: Omit<ReadClusterOptions, 'onObject'>, broken: Promise<never>): Promise<ClusterReadResult> {
  // a write error (a full disk) ends the wait for 'drain', which would otherwise never come
  const write = async (s: string): Promise<void> => {
    if (!gz.write(s)) await Promise.race([builtin('events').once(gz, 'drain'), broken]);
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
  await Promise.race([builtin('events').once(out, 'close'), broken]);
  return result;
}

export function isGzip(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

export interface ReadSnapshotOptions {
  /** The largest snapshot read, compressed and decompressed alike, in bytes (default: the file limit, 256 MiB). */
  maxFileSize?: number;
  /** Objects nested deeper than this are skipped (default: the limit for files, 512). */
  maxDepth?: number;
}

/** Problems about single items listed one by one; beyond this many, one more says how many followed. */
const ITEM_PROBLEMS_LISTED = 100;

/**
 * Reads a snapshot file; objects come back in the stable cluster order with cluster origins.
 * A snapshot is input like any other: the file and what it inflates to are bounded by the file
 * size limit (enforced while inflating, so a gzip bomb stops at the limit), objects by the
 * nesting limit, and every part that is not what a snapshot holds (an item that is no object,
 * has no kind, a coverage that is no list, ...) is a problem naming the file; the rest is read.
 */
export async function readSnapshot(file: string, opts: ReadSnapshotOptions = {}): Promise<{ snapshot?: Snapshot; objects: Array<{ object: K8sObject; origin: Origin }>; problems: InputProblem[] }> {
  const max = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const maxDepth = opts.maxDepth ?? DEFAULT_LIMITS.maxDepth;
  const fail = (code: InputProblem['code'], message: string, at: { line?: number; column?: number } = {}) => ({ objects: [], problems: [{ source: file, ...at, code, severity: 'error' as const, message }] });
  let buf: Buffer;
  try {
    const st = await fs.stat(file);
    if (st.size > max) return fail('too-large', `snapshot ${file} is ${st.size} bytes, over the ${max}-byte limit (--max-file-size); not read`);
    buf = await fs.readFile(file);
  } catch (err) {
    return fail('unreadable', `cannot read snapshot ${file}: ${errnoText(err) ?? 'error'}`);
  }
  let text: string;
  if (isGzip(buf)) {
    let raw: Buffer;
    try {
      // inflating stops as soon as the output passes the limit: a bomb never takes more
      raw = builtin('zlib').gunzipSync(buf, { maxOutputLength: Math.max(1, Math.min(max, buffer.constants.MAX_LENGTH)) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return fail('too-large', `snapshot ${file} inflates to more than ${max} bytes (--max-file-size); not read`);
      return fail('unreadable', `cannot read snapshot ${file}: the gzip data is truncated or corrupt`);
    }
    if (raw.length > max) return fail('too-large', `snapshot ${file} inflates to more than ${max} bytes (--max-file-size); not read`);
    buf = raw;
  }
  try {
    text = buf.toString('utf8');
  } catch {
    return fail('too-large', `snapshot ${file} is too large to decode`);
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    // V8's message quotes the text around the error: only its position is kept
    if (err instanceof RangeError) return fail('too-deep', `snapshot ${file} is nested too deeply to decode; not read`);
    const at = jsonErrorAt(err, text);
    return fail('json-syntax', `snapshot ${file} is not valid JSON${at.line ? ` (line ${at.line}, column ${at.column})` : ''}; not read`, at);
  }
  if (!isPlain(root) || root['apiVersion'] !== SNAPSHOT_API_VERSION || root['kind'] !== SNAPSHOT_KIND) {
    return fail('not-an-object', `${file} is not a kordon snapshot (${SNAPSHOT_API_VERSION} ${SNAPSHOT_KIND})`);
  }
  return checkSnapshot(file, root, maxDepth);
}

function checkSnapshot(file: string, root: Record<string, unknown>, maxDepth: number): { snapshot: Snapshot; objects: Array<{ object: K8sObject; origin: Origin }>; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const problem = (code: InputProblem['code'], message: string, severity: InputProblem['severity'] = 'error'): void => void problems.push({ source: file, code, severity, message: `snapshot ${file}: ${message}` });
  const str = (field: string, fallback: string): string => {
    const v = root[field];
    if (typeof v === 'string') return v;
    if (v !== undefined) problem('not-an-object', `${field} is not a string; ignored`, 'warning');
    return fallback;
  };
  const context = str('context', '');
  const server = displayServer(str('server', ''));
  let source = str('source', '');
  if (!/^cluster:/.test(source)) {
    if (source !== '') problem('not-an-object', 'source does not name a cluster; ignored', 'warning');
    source = `cluster:${context || 'snapshot'}`;
  }
  // the objects
  const objects: Array<{ object: K8sObject; origin: Origin }> = [];
  const origin: Origin = { source, documentIndex: 0, itemPointer: '', line: 0, column: 0, via: 'cluster' };
  const items = root['items'];
  let bad = 0;
  const badItem = (i: number, code: InputProblem['code'], why: string): void => {
    if (++bad <= ITEM_PROBLEMS_LISTED) problem(code, `items[${i}] ${why}; skipped`);
  };
  if (!Array.isArray(items)) problem('not-an-object', `items is not a list; no objects read`);
  else {
    for (let i = 0; i < items.length; i++) {
      const o = items[i];
      if (!isPlain(o)) badItem(i, 'not-an-object', `is ${o === null ? 'null' : Array.isArray(o) ? 'a list' : `a ${typeof o}`}, not an object`);
      else if (typeof o['kind'] !== 'string' || o['kind'] === '') badItem(i, 'missing-kind', 'has no kind');
      else if (typeof o['apiVersion'] !== 'string' || o['apiVersion'] === '') badItem(i, 'missing-apiversion', 'has no apiVersion');
      else if (!isPlain(o['metadata'])) badItem(i, 'missing-name', 'has no metadata');
      else if (typeof o['metadata']['name'] !== 'string' || o['metadata']['name'] === '') badItem(i, 'missing-name', 'has no metadata.name');
      else if (o['metadata']['namespace'] !== undefined && typeof o['metadata']['namespace'] !== 'string') badItem(i, 'not-an-object', 'has a metadata.namespace that is not a string');
      else if (exceedsDepth(o, maxDepth)) badItem(i, 'too-deep', `is nested more than ${maxDepth} levels deep`);
      else {
        // metadata every analysis indexes: a field of the wrong type is dropped, the object kept
        const meta = o['metadata'];
        const what = `items[${i}] (${o['kind']} ${typeof meta['namespace'] === 'string' ? `${meta['namespace']}/` : ''}${meta['name']})`;
        for (const field of ['labels', 'annotations'] as const) {
          const m = meta[field];
          if (m === undefined) continue;
          if (!isPlain(m) || Object.values(m).some((v) => typeof v !== 'string')) {
            delete meta[field];
            problem('not-an-object', `${what}: metadata.${field} is not a map of strings; ignored`);
          }
        }
        const owners = meta['ownerReferences'];
        if (owners !== undefined && (!Array.isArray(owners) || owners.some((r) => !isPlain(r)))) {
          delete meta['ownerReferences'];
          problem('not-an-object', `${what}: metadata.ownerReferences is not a list of objects; ignored`);
        }
        objects.push({ object: o as K8sObject, origin });
      }
    }
    if (bad > ITEM_PROBLEMS_LISTED) problem('not-an-object', `${bad - ITEM_PROBLEMS_LISTED} more items are not objects the snapshot can hold; skipped`);
  }
  objects.sort((a, b) => compareObjects(a.object, b.object));
  // what the read covered, and what it could not read
  const coverage = listOf(root['coverage'], coverageEntry, 'coverage', 'coverage entries', problem);
  const recorded = listOf(root['problems'], recordedProblem, 'problems', 'recorded problems', problem);
  const snapshot: Snapshot = { apiVersion: SNAPSHOT_API_VERSION, kind: SNAPSHOT_KIND, source, context, server, items: objects.map((o) => o.object), coverage, problems: recorded };
  const sv = root['serverVersion'];
  if (isPlain(sv)) {
    const version: NonNullable<Snapshot['serverVersion']> = {};
    for (const k of ['major', 'minor', 'gitVersion', 'platform'] as const) if (typeof sv[k] === 'string') version[k] = sv[k] as string;
    snapshot.serverVersion = version;
  } else if (sv !== undefined) problem('not-an-object', 'serverVersion is not an object; ignored', 'warning');
  if (typeof root['redactedValues'] === 'number' && Number.isFinite(root['redactedValues'])) snapshot.redactedValues = root['redactedValues'];
  return { snapshot, objects, problems: [...recorded, ...problems] };
}

function coverageEntry(c: unknown): CoverageEntry | undefined {
  if (!isPlain(c)) return undefined;
  const { resource, apiVersion, kind, namespace, count, error, status } = c;
  if (typeof resource !== 'string' || typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return undefined;
  if ((namespace !== undefined && typeof namespace !== 'string') || (error !== undefined && typeof error !== 'string') || (status !== undefined && typeof status !== 'number')) return undefined;
  return { resource, apiVersion, kind, ...(namespace !== undefined ? { namespace } : {}), count, ...(error !== undefined ? { error } : {}), ...(status !== undefined ? { status } : {}) };
}

function recordedProblem(p: unknown): InputProblem | undefined {
  if (!isPlain(p)) return undefined;
  const { source, code, severity, message, line, column } = p;
  if (typeof source !== 'string' || typeof code !== 'string' || typeof message !== 'string' || (severity !== 'error' && severity !== 'warning')) return undefined;
  if ((line !== undefined && typeof line !== 'number') || (column !== undefined && typeof column !== 'number')) return undefined;
  return { source, code: code as InputProblem['code'], severity, message, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) };
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Where JSON.parse stopped, from its message (whose quoted text is never kept). */
function jsonErrorAt(err: unknown, text: string): { line?: number; column?: number } {
  const msg = String((err as Error)?.message ?? '');
  const lc = /line (\d+) column (\d+)/.exec(msg);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const p = /position (\d+)/.exec(msg);
  const at = p ? Number(p[1]) : /end of JSON input/.test(msg) ? text.length : undefined;
  if (at === undefined) return {};
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: at - start + 1 };
}

/** A list field of the snapshot header: each element read by `read`; a non-list or malformed elements are one problem each way. */
function listOf<T>(value: unknown, read: (v: unknown) => T | undefined, field: string, what: string, problem: (code: 'not-an-object', message: string) => void): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problem('not-an-object', `${field} is not a list; ignored`);
    return [];
  }
  const out: T[] = [];
  let dropped = 0;
  for (const v of value) {
    const e = read(v);
    if (e) out.push(e);
    else dropped++;
  }
  if (dropped) problem('not-an-object', `${dropped} ${what} are malformed; ignored`);
  return out;
}
