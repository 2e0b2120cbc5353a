/** Helm charts: rendered with the real `helm template`, output decoded like any YAML stream. */
import path from 'node:path';
import { runTool, toolError } from '../exec.js';
import type { InputProblem } from '../../inventory/types.js';

export interface HelmOptions {
  /** `--values` files. */
  values?: string[];
  /** `--set key=value` pairs. */
  set?: string[];
  /** The helm binary (default: `helm` on PATH, or $KORDON_HELM). */
  binary?: string;
  releaseName?: string;
  namespace?: string;
  kubeVersion?: string;
}

export interface RenderedTemplate {
  /** Path of the template (chart dir joined with the `# Source:` path minus the chart name). */
  template: string;
  text: string;
}

export async function renderHelmChart(chartDir: string, opts: HelmOptions = {}): Promise<{ templates: RenderedTemplate[]; problems: InputProblem[] }> {
  const bin = opts.binary ?? process.env['KORDON_HELM'] ?? 'helm';
  const args = ['template', opts.releaseName ?? 'kordon', chartDir];
  for (const v of opts.values ?? []) args.push('--values', v);
  for (const s of opts.set ?? []) args.push('--set', s);
  if (opts.namespace) args.push('--namespace', opts.namespace);
  if (opts.kubeVersion) args.push('--kube-version', opts.kubeVersion);
  const run = await runTool(bin, args);
  if (run.status === 'missing') {
    return {
      templates: [],
      problems: [{ source: chartDir, code: 'tool-missing', severity: 'error', message: `${chartDir} is a Helm chart but "${bin}" is not on PATH; install Helm 3 (https://helm.sh/docs/intro/install/, or \`go install helm.sh/helm/v3/cmd/helm@latest\`) or scan the output of \`helm template\` instead; chart skipped` }],
    };
  }
  if (run.status === 'failed') {
    return { templates: [], problems: [{ source: chartDir, code: 'tool-failed', severity: 'error', message: `helm template failed: ${toolError(run)}; chart skipped` }] };
  }
  return { templates: splitBySource(chartDir, run.stdout), problems: [] };
}

/** Groups the rendered stream by the `# Source: <chart>/templates/x.yaml` comment helm writes. */
export function splitBySource(chartDir: string, stream: string): RenderedTemplate[] {
  const groups = new Map<string, string[]>();
  let current = path.join(chartDir, '<rendered>');
  let buf: string[] = [];
  const flush = (): void => {
    if (buf.some((l) => l.trim() !== '' && !l.startsWith('#'))) {
      const list = groups.get(current) ?? [];
      list.push(buf.join('\n'));
      groups.set(current, list);
    }
    buf = [];
  };
  for (const line of stream.split('\n')) {
    if (/^---(\s|$)/.test(line)) {
      flush();
      continue;
    }
    const m = /^# Source: ([^/]+)\/(.+)$/.exec(line);
    if (m && buf.every((l) => l.trim() === '' || l.startsWith('#'))) current = path.join(chartDir, m[2]!.trim());
    buf.push(line);
  }
  flush();
  return [...groups.entries()].map(([template, docs]) => ({ template, text: docs.join('\n---\n') }));
}
