/** Helm charts: rendered with the real `helm template`, output decoded like any YAML stream. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { runTool, safeToolText, scalarTexts, toolError } from '../exec.js';
import type { InputProblem } from '../../inventory/types.js';

export interface HelmOptions {
  /** `--values` files. */
  values?: string[];
  /** `--set key=value` pairs. */
  set?: string[];
  /** The helm binary (default: `helm` on PATH, or $KORDON_HELM). */
  binary?: string;
  /** The release name (`.Release.Name`; default `kordon`). */
  releaseName?: string;
  /** The namespace installed to (`.Release.Namespace`; helm's `--namespace`). */
  namespace?: string;
  /**
   * The Kubernetes version the chart is rendered for (`.Capabilities.KubeVersion`, helm's
   * `--kube-version`). Without it, a chart whose `kubeVersion` constraint helm's built-in
   * default does not meet is rendered for the lowest version the constraint allows.
   */
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
  let run = await runTool(bin, args);
  if (run.status === 'missing') {
    return {
      templates: [],
      problems: [{ source: chartDir, code: 'tool-missing', severity: 'error', message: `${chartDir} is a Helm chart but "${bin}" is not on PATH; install Helm 3 (https://helm.sh/docs/intro/install/, or \`go install helm.sh/helm/v3/cmd/helm@latest\`) or scan the output of \`helm template\` instead; chart skipped` }],
    };
  }
  if (run.status === 'failed' && !opts.kubeVersion && /chart requires kubeVersion/i.test(run.stderr)) {
    // helm template checks `kubeVersion` against its own built-in default, not a cluster:
    // render for the lowest version the chart accepts instead of failing
    const version = lowestAllowedVersion(chartKubeVersion(chartDir));
    if (version) run = await runTool(bin, [...args, '--kube-version', version]);
  }
  if (run.status === 'failed') {
    return { templates: [], problems: [{ source: chartDir, code: 'tool-failed', severity: 'error', message: `helm template failed: ${safeToolText(toolError(run), helmInputTexts(chartDir, opts))}; chart skipped` }] };
  }
  return { templates: splitBySource(chartDir, run.stdout), problems: [] };
}

/** Every value given to helm (the chart's values.yaml, --values files, --set): an error must not quote them. */
function helmInputTexts(chartDir: string, opts: HelmOptions): string[] {
  const out: string[] = [];
  for (const file of [path.join(chartDir, 'values.yaml'), ...(opts.values ?? [])]) {
    try {
      const text = readFileSync(file, 'utf8');
      if (text.length > 16 * 1024 * 1024) continue;
      scalarTexts(load(text), out);
    } catch {
      // unreadable or not YAML: helm says so itself
    }
  }
  for (const s of opts.set ?? []) {
    const value = s.slice(s.indexOf('=') + 1);
    out.push(s, value, ...value.split(/[,{}]/));
  }
  return out;
}

function chartKubeVersion(chartDir: string): string | undefined {
  try {
    const chart = load(readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) as { kubeVersion?: unknown } | null;
    return typeof chart?.kubeVersion === 'string' ? chart.kubeVersion : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The lowest `vMAJOR.MINOR.PATCH` a semver constraint such as `>=1.25.0-0`, `>= 1.21, < 1.31`
 * or `^1.27` allows (the lower bounds of its first alternative), or undefined.
 */
export function lowestAllowedVersion(constraint: string | undefined): string | undefined {
  if (!constraint) return undefined;
  const first = constraint.split('||')[0]!;
  let best: [number, number, number] | undefined;
  for (const m of first.matchAll(/(>=|>|\^|~|=|)\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(?:-[0-9A-Za-z.-]+)?/g)) {
    const op = m[1]!;
    const before = first.slice(0, m.index).trimEnd();
    if (before.endsWith('<') || before.endsWith('<=') || before.endsWith('!=')) continue;
    const v: [number, number, number] = [Number(m[2]), /^\d+$/.test(m[3] ?? '') ? Number(m[3]) : 0, /^\d+$/.test(m[4] ?? '') ? Number(m[4]) : 0];
    if (op === '>') v[2]++;
    if (!best || v[0] > best[0] || (v[0] === best[0] && (v[1] > best[1] || (v[1] === best[1] && v[2] > best[2])))) best = v;
  }
  return best ? `v${best.join('.')}` : undefined;
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
