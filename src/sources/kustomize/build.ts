/** Kustomize directories: built with `kustomize build`, or `kubectl kustomize` when that is all there is. */
import { runTool, toolError } from '../exec.js';
import type { InputProblem } from '../../inventory/types.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export async function buildKustomization(dir: string, opts: { binary?: string } = {}): Promise<{ text?: string; problems: InputProblem[] }> {
  const candidates: Array<[string, string[]]> = opts.binary
    ? [[opts.binary, ['build', dir]]]
    : [
        [process.env['KORDON_KUSTOMIZE'] ?? 'kustomize', ['build', dir]],
        ['kubectl', ['kustomize', dir]],
      ];
  for (const [bin, args] of candidates) {
    const run = await runTool(bin, args);
    if (run.status === 'missing') continue;
    if (run.status === 'failed') {
      return { problems: [{ source: dir, code: 'tool-failed', severity: 'error', message: `${bin} ${args[0]} failed: ${toolError(run)}; kustomization skipped` }] };
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
