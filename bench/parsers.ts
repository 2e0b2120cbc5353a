/**
 * The YAML parser comparison behind docs/adr/0001-yaml-parser.md. Each candidate decodes the
 * same multi-document stream document by document (as the manifest source does), in its own
 * child process so peak memory is its own; then the alias bomb, 10,000-deep nesting and the
 * YAML 1.1 scalars the API server reads differently from YAML 1.2.
 *
 * Usage: node --import tsx bench/parsers.ts [--input bench/out/multidoc-10000.yaml]
 *        [--stoplight /path/to/@stoplight/yaml-ast-parser/package]   (an unpacked `npm pack`)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

type Candidate = 'kordon (js-yaml 5 events + go-yaml schema)' | 'js-yaml 5 load (default schema)' | 'yaml 2 parseDocument+toJS (1.1)' | 'yaml 2 parseDocument only (1.1)' | '@stoplight/yaml-ast-parser';

const args = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i !== -1 && args[i + 1] ? args[i + 1]! : dflt;
};
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

async function decoder(name: Candidate, stoplight: string): Promise<(text: string) => unknown> {
  switch (name) {
    case 'kordon (js-yaml 5 events + go-yaml schema)': {
      const { parseManifestText } = await import('../src/sources/manifests/parse.js');
      return (text) => parseManifestText('x.yaml', text);
    }
    case 'js-yaml 5 load (default schema)': {
      const { load } = await import('js-yaml');
      return (text) => load(text);
    }
    case 'yaml 2 parseDocument+toJS (1.1)': {
      const { parseDocument } = await import('yaml');
      return (text) => parseDocument(text, { version: '1.1', merge: true }).toJS({ maxAliasCount: 100 });
    }
    case 'yaml 2 parseDocument only (1.1)': {
      const { parseDocument } = await import('yaml');
      return (text) => parseDocument(text, { version: '1.1', merge: true });
    }
    case '@stoplight/yaml-ast-parser': {
      const mod = (await import(path.join(stoplight, 'dist/src/index.js'))) as { default?: { safeLoad: (t: string) => unknown }; safeLoad?: (t: string) => unknown };
      const safeLoad = mod.safeLoad ?? mod.default!.safeLoad;
      return (text) => safeLoad(text);
    }
  }
}

/** Child mode: time one candidate on the input, report JSON on stdout. */
async function child(name: Candidate, input: string, stoplight: string): Promise<void> {
  const decode = await decoder(name, stoplight);
  const text = readFileSync(input, 'utf8');
  // documents split at column-0 `---`, as the manifest source does
  const docs = name.startsWith('kordon') ? [text] : text.split(/^---$/m);
  decode(docs[0]!); // warm up
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const d of docs) decode(d);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  // safety and semantics
  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]', 'g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]'].join('\n');
  const outcome = (f: () => unknown): string => {
    const s = process.hrtime.bigint();
    try {
      const v = f();
      const ms = Number(process.hrtime.bigint() - s) / 1e6;
      const problems = (v as { problems?: Array<{ code: string }> } | undefined)?.problems;
      if (Array.isArray(problems) && problems.length > 0) return `refused (${problems[0]!.code}) in ${ms.toFixed(0)} ms`;
      // an object graph that shares aliased nodes is cheap to build but explodes when walked
      let size = 0;
      try {
        size = JSON.stringify(v)?.length ?? 0;
      } catch {
        size = -1;
      }
      return `accepted in ${ms.toFixed(0)} ms${size > 1e6 ? ` (expands to ${(size / 1e6).toFixed(0)} MB of JSON)` : size === -1 ? ' (cannot be serialised)' : ''}`;
    } catch (err) {
      const ms = Number(process.hrtime.bigint() - s) / 1e6;
      return `${err instanceof RangeError ? 'stack overflow (RangeError)' : 'refused'} in ${ms.toFixed(0)} ms`;
    }
  };
  const deepBlock = Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' x\n';
  const deepFlow = `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
  let semantics: string;
  try {
    const sample = 'on: yes\nn: 0777\nt: 12:30\nd: 2024-01-01\n';
    if (name.startsWith('kordon')) {
      const { load } = await import('js-yaml');
      const { GO_YAML_SCHEMA } = await import('../src/sources/manifests/go-yaml-schema.js');
      semantics = JSON.stringify(load(sample, { schema: GO_YAML_SCHEMA }));
    } else semantics = JSON.stringify(decode(sample));
  } catch (err) {
    semantics = `error: ${(err as Error).message.split('\n')[0]}`;
  }
  process.stdout.write(
    JSON.stringify({
      name,
      documents: docs.length,
      wallSeconds: wall,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      aliasBomb: outcome(() => decode(bomb)),
      deepBlock: outcome(() => decode(deepBlock)),
      deepFlow: outcome(() => decode(deepFlow)),
      semantics,
    }) + '\n',
  );
}

async function main(): Promise<void> {
  if (args[0] === '--child') return child(args[1] as Candidate, args[2]!, args[3] ?? '');
  const input = arg('--input', 'bench/out/multidoc-10000.yaml');
  const stoplight = arg('--stoplight', '');
  if (!existsSync(input)) throw new Error(`${input} is missing: run node --import tsx bench/generate.ts --sizes 10000 first`);
  const candidates: Candidate[] = ['kordon (js-yaml 5 events + go-yaml schema)', 'js-yaml 5 load (default schema)', 'yaml 2 parseDocument+toJS (1.1)', 'yaml 2 parseDocument only (1.1)'];
  if (stoplight) candidates.push('@stoplight/yaml-ast-parser');
  process.stdout.write(`input: ${input} (${(readFileSync(input).length / 2 ** 20).toFixed(1)} MiB)\n\n| parser | CPU s | wall s | peak RSS MiB | alias bomb (9^7 nodes) | 10,000 deep, block | 10,000 deep, flow | \`on: yes\`, \`0777\`, \`12:30\`, \`2024-01-01\` |\n| --- | ---: | ---: | ---: | --- | --- | --- | --- |\n`);
  for (const c of candidates) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--stack-size=984', path.join(root, 'bench/parsers.ts'), '--child', c, input, stoplight], { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20, timeout: 600_000 });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      const m = JSON.parse(line) as Record<string, string | number>;
      process.stdout.write(`| ${c} | ${(m['cpuSeconds'] as number).toFixed(2)} | ${(m['wallSeconds'] as number).toFixed(2)} | ${(m['maxRssMiB'] as number).toFixed(0)} | ${m['aliasBomb']} | ${m['deepBlock']} | ${m['deepFlow']} | ${String(m['semantics']).replace(/\|/g, '\\|')} |\n`);
    } catch {
      process.stdout.write(`| ${c} | failed: ${(r.stderr || r.error?.message || '').split('\n').slice(0, 2).join(' ')} |\n`);
    }
  }
}

await main();
