/**
 * Helpers for the admission live tests: the fixture objects of a control, kordon's decision on
 * each (a scan of the same objects with that control only) and the API server's (a server-side
 * dry-run create).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import type { Control } from '../../src/engine/types.js';
import type { K8sObject } from '../../src/inventory/types.js';
import { KIND_RESOURCES } from '../../src/admission/resources.js';
import { scanPaths } from '../../src/scan.js';
import { apiRequest, type ControlPlaneInfo } from '../support/controlplane.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures/controls');

export interface FixtureObject {
  file: string;
  object: K8sObject;
}

/** Every object of a control's pass and fail fixtures (Lists unwrapped). */
export function fixtureObjects(control: Control): FixtureObject[] {
  const out: FixtureObject[] = [];
  for (const sub of ['pass', 'fail']) {
    const dir = path.join(FIXTURES, control.id, sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const file = path.join(dir, f);
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const v = doc.toJS() as K8sObject | null;
        if (!v || typeof v !== 'object' || !v.kind) continue;
        const items = v.kind.endsWith('List') && Array.isArray((v as { items?: unknown }).items) ? ((v as unknown as { items: K8sObject[] }).items) : [v];
        for (const object of items) out.push({ file: path.relative(ROOT, file), object });
      }
    }
  }
  return out;
}

export function isNamespacedKind(kind: string): boolean {
  return KIND_RESOURCES[kind]?.namespaced ?? true;
}

/** `Kind namespace/name` as the API server would store it (namespace-less → default). */
export function objectKey(o: { kind: string; namespace?: string | undefined; name: string }): string {
  return `${o.kind} ${isNamespacedKind(o.kind) ? (o.namespace ?? 'default') + '/' : ''}${o.name}`;
}

export function keyOf(obj: K8sObject): string {
  return objectKey({ kind: obj.kind, namespace: obj.metadata.namespace, name: String(obj.metadata.name ?? obj.metadata.generateName ?? '') });
}

/** The objects a scan of `objects` (written to a plain file, as a user's manifests) reports `control` on. */
export async function kordonDenies(control: Control, objects: K8sObject[]): Promise<Set<string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kordon-admission-'));
  try {
    const file = path.join(dir, 'objects.yaml');
    writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    const result = await scanPaths([file], { controls: [control], now: new Date('2025-01-01T00:00:00Z') });
    return new Set(result.findings.filter((f) => !f.suppressed && f.object).map((f) => objectKey(f.object!)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function collectionPath(obj: K8sObject): string | undefined {
  const r = KIND_RESOURCES[obj.kind];
  if (!r) return undefined;
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  return r.namespaced ? `${base}/namespaces/${obj.metadata.namespace ?? 'default'}/${r.resource}` : `${base}/${r.resource}`;
}

export type ServerDecision = { decision: 'allow' } | { decision: 'deny'; message: string } | { decision: 'error'; status: number; message: string };

/**
 * The API server's decision on creating `obj` (dry run): denied by the policy named `policy`,
 * allowed (created, or refused only because it exists already), or refused for another reason.
 */
export async function serverDecision(cp: Pick<ControlPlaneInfo, 'server' | 'caFile' | 'credentials'>, obj: K8sObject, denyMarker: string): Promise<ServerDecision> {
  const p = collectionPath(obj);
  if (!p) return { decision: 'error', status: 0, message: `no resource for ${obj.kind}` };
  const r = await apiRequest(cp, 'admin', 'POST', `${p}?dryRun=All`, obj);
  if (r.status === 200 || r.status === 201 || r.status === 409) return { decision: 'allow' };
  const message = String(r.body?.message ?? r.text);
  if (message.includes(denyMarker)) return { decision: 'deny', message };
  return { decision: 'error', status: r.status, message };
}

/** Creates the namespaces the objects live in (for real: dry-run creates need them). */
export async function ensureNamespaces(cp: Pick<ControlPlaneInfo, 'server' | 'caFile' | 'credentials'>, objects: K8sObject[]): Promise<void> {
  const names = new Set<string>();
  for (const o of objects) if (isNamespacedKind(o.kind) && o.metadata.namespace) names.add(o.metadata.namespace);
  for (const name of [...names].sort()) {
    if (name === 'default' || name.startsWith('kube-')) continue;
    const r = await apiRequest(cp, 'admin', 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    if (r.status !== 201 && r.status !== 409) throw new Error(`namespace ${name}: ${r.status} ${r.text.slice(0, 200)}`);
  }
}

/**
 * Fills in what the API server requires and minimal fixtures leave out (a workload's selector, a
 * Job's restartPolicy, a CronJob's schedule), and drops ephemeral containers (set only through
 * the pods/ephemeralcontainers subresource, never on create). Fields the controls judge are kept;
 * kordon scans the completed object, so both sides judge the same thing.
 */
export function completeForServer(obj: K8sObject): K8sObject {
  const o = structuredClone(obj) as any;
  const tmpl = (t: any, name: string, job: boolean): void => {
    if (!t || typeof t !== 'object') return;
    t.metadata ??= {};
    if (!t.metadata.labels || Object.keys(t.metadata.labels).length === 0) t.metadata.labels = { 'kordon.dev/fixture': name };
    if (t.spec && typeof t.spec === 'object') {
      delete t.spec.ephemeralContainers;
      if (job && !t.spec.restartPolicy) t.spec.restartPolicy = 'Never';
    }
  };
  const name = String(o.metadata?.name ?? 'x').slice(0, 63);
  switch (o.kind) {
    case 'Pod':
      if (o.spec) delete o.spec.ephemeralContainers;
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicationController':
      if (!o.spec) break;
      tmpl(o.spec.template, name, false);
      if (!o.spec.selector && o.spec.template?.metadata?.labels) o.spec.selector = o.kind === 'ReplicationController' ? { ...o.spec.template.metadata.labels } : { matchLabels: { ...o.spec.template.metadata.labels } };
      break;
    case 'Job':
      if (o.spec) tmpl(o.spec.template, name, true);
      break;
    case 'CronJob':
      if (!o.spec) break;
      o.spec.schedule ??= '0 * * * *';
      tmpl(o.spec.jobTemplate?.spec?.template, name, true);
      break;
    case 'PodTemplate':
      tmpl(o.template, name, false);
      break;
  }
  return o as K8sObject;
}

export function withLabel(obj: K8sObject, key: string, value: string): K8sObject {
  const copy = structuredClone(obj);
  copy.metadata = { ...copy.metadata, labels: { ...(copy.metadata.labels ?? {}), [key]: value } };
  return copy;
}
