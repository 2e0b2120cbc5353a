/**
 * Files from a Go module's source, fetched from the Go module proxy with `go mod download`
 * (cached in the Go module cache: GOMODCACHE; the first fetch of a large module takes a while).
 * Used by live tests for upstream facts the harness server can check, e.g. CRDs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from '../../src/inventory/types.js';

/** The extracted source directory of module@version. */
export function goModuleDir(module: string, version: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], { cwd: os.tmpdir(), encoding: 'utf8', maxBuffer: 1 << 20, timeout: 15 * 60_000, env: { ...process.env, GOFLAGS: '-mod=mod' } });
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (info.Error || !info.Dir) throw new Error(`go mod download ${module}@${version}: ${info.Error ?? 'no Dir'}`);
  return info.Dir;
}

/** The YAML documents of a file in module@version. */
export function goModuleYaml(module: string, version: string, file: string): K8sObject[] {
  const text = readFileSync(path.join(goModuleDir(module, version), file), 'utf8');
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}
