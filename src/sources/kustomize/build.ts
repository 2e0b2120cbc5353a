/** Kustomize directories: built with `kustomize build`, or `kubectl kustomize` when that is all there is. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { builtin } from '../../util/builtins.js';
import path from 'node:path';
import { load } from 'js-yaml';
import { runTool, safeToolText, toolError } from '../exec.js';
import type { InputProblem } from '../../inventory/types.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The annotation kustomize writes with `buildMetadata: [originAnnotations]`. */
export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
/** The annotation kustomize writes with `buildMetadata: [transformerAnnotations]`: the patches and transformers applied. */
export const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';

export interface KustomizeBuild {
  text?: string;
  problems: InputProblem[];
  /** The directory `config.kubernetes.io/origin` paths are relative to (when the build has them). */
  originBase?: string;
}

/**
 * Builds a kustomization. The build is asked for origin annotations (which file defined each
 * resource) through a kustomization of its own in a temporary directory that has the user's
 * directory as its only resource: the user's files are never changed. When that build fails
 * (a Component, an old kustomize), the directory is built as it is.
 */
export async function buildKustomization(dir: string, opts: { binary?: string } = {}): Promise<KustomizeBuild> {
  const candidates: Array<[string, string[]]> = opts.binary
    ? [[opts.binary, ['build']]]
    : [
        [process.env['KORDON_KUSTOMIZE'] ?? 'kustomize', ['build']],
        ['kubectl', ['kustomize']],
      ];
  for (const [bin, args] of candidates) {
    const wrapped = await buildWithOrigins(bin, args, dir);
    if (wrapped === 'missing') continue;
    if (wrapped) return wrapped;
    const run = await runTool(bin, [...args, dir]);
    if (run.status === 'missing') continue;
    if (run.status === 'failed') {
      return { problems: [{ source: dir, code: 'tool-failed', severity: 'error', message: `${bin} ${args[0]} failed: ${safeToolText(toolError(run), kustomizeInputTexts(dir))}; kustomization skipped` }] };
    }
    return { text: run.stdout, problems: [] };
  }
  if (opts.binary) {
    return { problems: [{ source: dir, code: 'tool-missing', severity: 'error', message: `${dir} is a Kustomize directory but "${opts.binary}" was not found; install kustomize (\`go install sigs.k8s.io/kustomize/kustomize/v5@latest\`) or scan the output of \`kustomize build\` instead; kustomization skipped` }] };
  }
  return {
    problems: [{ source: dir, code: 'tool-missing', severity: 'error', message: `${dir} is a Kustomize directory but neither "kustomize" nor "kubectl" is on PATH; install kustomize (\`go install sigs.k8s.io/kustomize/kustomize/v5@latest\`) or kubectl, or scan the output of \`kustomize build\` instead; kustomization skipped` }],
  };
}

async function buildWithOrigins(bin: string, args: string[], dir: string): Promise<KustomizeBuild | 'missing' | undefined> {
  let tmp: string | undefined;
  try {
    tmp = mkdtempSync(path.join(builtin('os').tmpdir(), 'kordon-kustomize-'));
    const rel = path.relative(tmp, path.resolve(dir)).split(path.sep).join('/');
    writeFileSync(path.join(tmp, 'kustomization.yaml'), `resources:\n- ${JSON.stringify(rel)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`);
    const run = await runTool(bin, [...args, tmp]);
    if (run.status === 'missing') return 'missing';
    if (run.status !== 'ok') return undefined;
    return { text: run.stdout, problems: [], originBase: tmp };
  } catch {
    return undefined;
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Literals and env-file values of the generators of a kustomization and the directories it
 * builds on: texts a tool error must never quote (kustomize's errors quote bad literals).
 */
function kustomizeInputTexts(dir: string, seen = new Set<string>(), out: string[] = []): string[] {
  const abs = path.resolve(dir);
  if (seen.has(abs) || seen.size > 50) return out;
  seen.add(abs);
  const file = KUSTOMIZATION_FILES.map((f) => path.join(abs, f)).find((f) => existsSync(f));
  if (!file) return out;
  let k: Record<string, unknown>;
  try {
    k = (load(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch {
    return out;
  }
  for (const key of ['secretGenerator', 'configMapGenerator']) {
    const gens = k[key];
    if (!Array.isArray(gens)) continue;
    for (const g of gens as Array<Record<string, unknown>>) {
      for (const lit of Array.isArray(g?.['literals']) ? (g['literals'] as unknown[]) : []) {
        if (typeof lit !== 'string') continue;
        out.push(lit, lit.slice(lit.indexOf('=') + 1));
      }
      for (const f of [...(Array.isArray(g?.['envs']) ? (g['envs'] as unknown[]) : []), ...(Array.isArray(g?.['files']) ? (g['files'] as unknown[]) : [])]) {
        if (typeof f !== 'string') continue;
        try {
          const text = readFileSync(path.join(abs, f.slice(f.indexOf('=') + 1)), 'utf8');
          if (text.length > 1024 * 1024) continue;
          for (const line of text.split(/\r?\n/)) if (line.trim()) out.push(line.trim(), line.slice(line.indexOf('=') + 1).trim());
        } catch {
          // kustomize reports a missing file itself
        }
      }
    }
  }
  for (const r of [...(Array.isArray(k['resources']) ? (k['resources'] as unknown[]) : []), ...(Array.isArray(k['components']) ? (k['components'] as unknown[]) : [])]) {
    if (typeof r === 'string' && !r.includes('://')) kustomizeInputTexts(path.join(abs, r), seen, out);
  }
  return out;
}
