/**
 * `--runtime FILE|DIR` as every command reads it: one reader for `vulns` (and `scan`/`paths`/
 * `plan` with `--vulns`) and for `plan`'s least-privilege actions. A directory of runtime output
 * holds two kinds of files:
 *
 * - vulnerability evidence (what a container executed or opened: Kubescape profiles, Tetragon
 *   and Falco events, kordon RuntimeEvidence), read by ./read.ts;
 * - observed behaviour (syscalls, capabilities, network flows: Hubble flows, Inspektor Gadget
 *   traces, Security Profiles Operator recordings, Kubescape and Tetragon too, kordon behaviour
 *   lines), read by ./behaviour/read.ts.
 *
 * Both readers read every file. A file of observed behaviour only (a Hubble flow log, an
 * Inspektor Gadget trace, an SPO SeccompProfile) is not the evidence reader's to call broken: its
 * format complaints about such a file are dropped, and the behaviour reader's problems about it
 * (a broken line) are kept instead, each said once.
 */
import type { InputProblem } from '../../inventory/types.js';
import type { BehaviourSummary } from './behaviour/model.js';
import type { ReadBehaviourOptions } from './behaviour/read.js';
import type { ContainerEvidence } from './model.js';

/** What the evidence reader says about a file whose format it does not know. */
const FORMAT_CODES: ReadonlySet<InputProblem['code']> = new Set(['yaml-syntax', 'json-syntax', 'unknown-format', 'not-an-object', 'missing-kind']);

export interface RuntimeFiles {
  /** Vulnerability evidence records (exec and open observations). */
  evidence: ContainerEvidence[];
  /** Observed behaviour (syscalls, capabilities, flows), summarised. */
  behaviour: BehaviourSummary;
  /** Files the behaviour reader took observations from. */
  behaviourFiles: Set<string>;
  /** Files with observed behaviour and no vulnerability evidence (Hubble, Inspektor Gadget, SPO, ...). */
  behaviourOnly: string[];
  /** The evidence reader's problems, without its format complaints about files of observed behaviour, plus the behaviour reader's about those files. */
  evidenceProblems: InputProblem[];
}

export async function readRuntimeFiles(paths: readonly string[], opts: ReadBehaviourOptions = {}): Promise<RuntimeFiles> {
  // the readers (and the syscall tables) load only when a command reads --runtime
  const [{ readRuntimeInputs }, { readBehaviour }] = await Promise.all([import('./read.js'), import('./behaviour/read.js')]);
  const rin = await readRuntimeInputs(paths);
  const behaviour = await readBehaviour([...paths], opts);
  const behaviourFiles = new Set<string>();
  for (const x of [...behaviour.subjects.values(), ...behaviour.flows.values()]) for (const f of x.sources) behaviourFiles.add(f);
  const withEvidence = new Set(rin.evidence.map((e) => e.source));
  const behaviourOnly = [...behaviourFiles].filter((f) => !withEvidence.has(f)).sort();
  const only = new Set(behaviourOnly);
  const problems = rin.problems.filter((p) => !(behaviourFiles.has(p.source) && FORMAT_CODES.has(p.code)));
  const said = new Set(problems.map((p) => `${p.source}|${p.line ?? ''}|${p.code}`));
  for (const p of behaviour.problems) {
    if (!only.has(p.source)) continue;
    const key = `${p.source}|${p.line ?? ''}|${p.code}`;
    if (!said.has(key)) (said.add(key), problems.push(p));
  }
  return { evidence: rin.evidence, behaviour, behaviourFiles, behaviourOnly, evidenceProblems: problems };
}

/** A note per file of observed behaviour only, for commands that read it as vulnerability evidence alone. */
export function behaviourOnlyNotes(files: readonly string[]): InputProblem[] {
  return files.map((source) => ({
    source,
    code: 'unknown-format' as const,
    severity: 'warning' as const,
    message: 'read as observed behaviour (syscalls, capabilities, network flows: Hubble, Inspektor Gadget, Security Profiles Operator; kordon plan and harden use it), a format kordon takes no vulnerability evidence from: it neither shows nor rules out a vulnerable package in use',
  }));
}
