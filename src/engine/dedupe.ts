/**
 * One root cause, one finding (docs/deduplication.md). Runs after the controls, on the sorted
 * findings of a scan, in three steps:
 *
 * 1. Template owners: a finding on an object judged through its owner's template (a pod of a
 *    ReplicaSet, a ReplicaSet of a Deployment) is dropped when the top owner has the same
 *    finding (same control, the same field of the template); the owner's findings say how many
 *    pods run the template (`pods`). An object that differs from its owner's template (a pod
 *    mutated at admission, a ReplicaSet of an earlier revision) is judged itself, but what it
 *    shares word for word with its owner (same control, field and message) is said on the owner.
 * 2. Reached twice, reported once: findings with the same control, object, pointer, container
 *    and message are reported once (a control may say two different things about one field:
 *    two credentials in one value).
 * 3. Supersession: when control A declares that it supersedes control B (`supersedes`), a finding
 *    of B on the same root cause as a finding of A is not reported on its own and is listed in
 *    the reported one's `related` (id, title, severity). On the same field (`field` scope) A's
 *    finding is reported, with its own (graded) severity: the more specific verdict. On the same
 *    binding (`object` scope) the linked findings are one grant: the most severe is reported,
 *    ties going to the declared precedence. A finding is replaced only by one in the same state:
 *    an excepted (suppressed) winner does not hide a finding that no exception names, and an
 *    unexcepted winner does not absorb an excepted one.
 *
 * The control evaluations (pass/fail counts for the scores) are taken before any of this: a
 * superseded finding still counts as a failure of its own control.
 */
import type { Inventory } from '../inventory/inventory.js';
import { podSpecOf } from '../inventory/podspec.js';
import { templateOwnersOf } from '../inventory/owners.js';
import type { Control, Finding, RelatedFinding, Severity } from './types.js';
import { compareFindings } from './run.js';

const SEV_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

type Scope = 'field' | 'object';

/** Per superseded control id: the controls that supersede it (transitively) and how. */
export interface SupersessionTable {
  /** superseded id → superseding id → scope */
  readonly by: ReadonlyMap<string, ReadonlyMap<string, Scope>>;
  /** How far down the precedence a control is (0: supersedes others but nobody supersedes it). */
  readonly depth: ReadonlyMap<string, number>;
  /** The controls in any supersession relation, above or below. */
  readonly participants: ReadonlySet<string>;
}

const TABLES = new WeakMap<readonly Control[], SupersessionTable>();

/**
 * The supersession relation of a set of controls: the declarations closed transitively (A over B
 * and B over C give A over C, at the narrower of the two scopes). Throws on a cycle (a test runs
 * it over the catalogue).
 */
export function supersessionTable(controls: readonly Control[]): SupersessionTable {
  let t = TABLES.get(controls);
  if (t) return t;
  const direct = new Map<string, Map<string, Scope>>(); // superseder → superseded → scope
  for (const c of controls) {
    const s = c.supersedes;
    if (!s) continue;
    const m = new Map<string, Scope>();
    for (const id of s.field ?? []) m.set(id, 'field');
    for (const id of s.object ?? []) if (!m.has(id)) m.set(id, 'object');
    direct.set(c.id, m);
  }
  // closure: superseder → every control below it, with the narrowest scope along the best path
  const closed = new Map<string, Map<string, Scope>>();
  const visit = (id: string, stack: string[]): Map<string, Scope> => {
    const done = closed.get(id);
    if (done) return done;
    if (stack.includes(id)) throw new Error(`supersession cycle: ${[...stack, id].join(' > ')}`);
    const out = new Map<string, Scope>();
    for (const [below, scope] of direct.get(id) ?? []) {
      widen(out, below, scope);
      for (const [deeper, s2] of visit(below, [...stack, id])) widen(out, deeper, scope === 'field' || s2 === 'field' ? 'field' : 'object');
    }
    closed.set(id, out);
    return out;
  };
  for (const id of direct.keys()) visit(id, []);
  const by = new Map<string, Map<string, Scope>>();
  for (const [above, belows] of closed) {
    for (const [below, scope] of belows) {
      let m = by.get(below);
      if (!m) by.set(below, (m = new Map()));
      m.set(above, scope);
    }
  }
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    let d = depth.get(id);
    if (d !== undefined) return d;
    d = 0;
    for (const above of by.get(id)?.keys() ?? []) d = Math.max(d, depthOf(above) + 1);
    depth.set(id, d);
    return d;
  };
  for (const c of controls) depthOf(c.id);
  const participants = new Set<string>(by.keys());
  for (const aboves of by.values()) for (const id of aboves.keys()) participants.add(id);
  t = { by, depth, participants };
  TABLES.set(controls, t);
  return t;
}

/** Keeps the wider scope when two paths lead to the same control (object covers more than field). */
function widen(m: Map<string, Scope>, id: string, scope: Scope): void {
  const had = m.get(id);
  if (had === undefined || (had === 'field' && scope === 'object')) m.set(id, scope);
}

/** Applies the three steps to sorted findings; returns the findings to report, still sorted. */
export function dedupeFindings(findings: Finding[], inv: Inventory, controls: readonly Control[]): Finding[] {
  const out = dropRepeats(collapseTemplateOwners(findings, inv));
  return supersede(out, inv, supersessionTable(controls));
}

// ---------------------------------------------------------------------------
// 1. Template owners

function collapseTemplateOwners(findings: Finding[], inv: Inventory): Finding[] {
  const owners = templateOwnersOf(inv);
  const { parent, representative, pods } = owners;
  if (!parent.some((p) => p !== -1)) return findings;
  const byId = new Map<string, number>();
  inv.objects.forEach((o, k) => byId.set(o.id, k));
  // The objects others are compared with: the top owners.
  const n = parent.length;
  const topOf = (i: number): number => (representative[i] !== -1 ? representative[i]! : representative[parent[i]!] !== -1 ? representative[parent[i]!]! : parent[i]!);
  // Only the top owners of objects that have findings of their own are looked at.
  const isTop = new Uint8Array(n);
  const at = new Int32Array(findings.length);
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k]!;
    const i = f.object ? byId.get(f.object.id) : undefined;
    at[k] = i ?? -1;
    if (i !== undefined && parent[i] !== -1) isTop[topOf(i)] = 1;
  }
  // What they say, keyed relative to their pod template: without the message for objects
  // running the same template, with it for objects that differ from theirs.
  const same = new Set<string>();
  const exact = new Set<string>();
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k]!;
    const i = at[k]!;
    if (i === -1 || !isTop[i]) continue;
    const key = templateFindingKey(f, i, inv);
    same.add(key);
    exact.add(key + '\u0000' + f.message);
  }
  const out: Finding[] = [];
  for (let k = 0; k < findings.length; k++) {
    const f = findings[k]!;
    const i = at[k]!;
    if (i !== -1) {
      const rep = representative[i]!;
      if (rep !== -1) {
        if (same.has(templateFindingKey(f, i, inv, rep))) continue; // the owner says it for this object
      } else {
        // differs from its owner's template: what it shares with it is said on the owner
        if (parent[i] !== -1 && exact.has(templateFindingKey(f, i, inv, topOf(i)) + '\u0000' + f.message)) continue;
        if (pods[i]! > 0 && inTemplate(f, i, inv)) f.pods = pods[i]!;
      }
    }
    out.push(f);
  }
  return out;
}

/** Whether a finding is about the object's pod template (what its pods run), not the object itself (its namespace, its name). */
function inTemplate(f: Finding, index: number, inv: Inventory): boolean {
  const ref = podSpecOf(inv.objects[index]!.object);
  if (!ref) return false;
  const p = f.pointer;
  return p === ref.pointer || p.startsWith(ref.pointer + '/') || p === ref.metadataPointer || p.startsWith(ref.metadataPointer + '/');
}

/**
 * A finding's identity relative to the pod template it is about: the control, the top owner,
 * and its pointer with the object's pod spec / pod metadata base replaced by a neutral one.
 */
function templateFindingKey(f: Finding, index: number, inv: Inventory, owner: number = index): string {
  const obj = inv.objects[index]!.object;
  const ref = podSpecOf(obj);
  let p = f.pointer;
  if (ref) {
    if (p === ref.pointer || p.startsWith(ref.pointer + '/')) p = '@spec' + p.slice(ref.pointer.length);
    else if (p === ref.metadataPointer || p.startsWith(ref.metadataPointer + '/')) p = '@meta' + p.slice(ref.metadataPointer.length);
  }
  return [f.controlId, owner, p, f.container ?? '', f.suppressed ? 's' : ''].join('\u0000');
}

// ---------------------------------------------------------------------------
// 2. Reached twice, reported once

/**
 * Findings arrive sorted (compareFindings: location, object, severity, control, pointer,
 * message), so a repeat sorts right after its twin, or after findings that differ from it only
 * in their container: only that run of equal-sorting findings is looked at.
 */
function dropRepeats(findings: Finding[]): Finding[] {
  let out: Finding[] | undefined;
  let runStart = 0;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    if (i > 0 && compareFindings(findings[i - 1]!, f) !== 0) runStart = i;
    let repeat = false;
    for (let j = runStart; j < i && !repeat; j++) {
      const g = findings[j]!;
      repeat = g.container === f.container && g.controlId === f.controlId && g.pointer === f.pointer && g.message === f.message && g.object?.id === f.object?.id && !g.suppressed === !f.suppressed;
    }
    if (repeat) out ??= findings.slice(0, i);
    else if (out) out.push(f);
  }
  return out ?? findings;
}

// ---------------------------------------------------------------------------
// 3. Supersession

const MOUNT_RE = /^(.*)\/(?:containers|initContainers|ephemeralContainers)\/\d+\/volumeMounts\/(\d+)$/;

const PULL_POLICY_RE = /^(.*\/(?:containers|initContainers|ephemeralContainers)\/\d+)\/imagePullPolicy$/;

/**
 * The field a finding is about: a volume mount is judged as its volume (`.../volumes/<i>`), a
 * container's imagePullPolicy with its image.
 */
function rootPointer(f: Finding, inv: Inventory, objectIndex: Map<string, number>): string {
  const pull = PULL_POLICY_RE.exec(f.pointer);
  if (pull) return pull[1] + '/image';
  const m = MOUNT_RE.exec(f.pointer);
  if (!m || !f.object) return f.pointer;
  const i = objectIndex.get(f.object.id);
  if (i === undefined) return f.pointer;
  const obj = inv.objects[i]!.object;
  const mount = at(obj, f.pointer) as { name?: unknown } | undefined;
  const volumes = at(obj, m[1] + '/volumes');
  if (!mount || typeof mount.name !== 'string' || !Array.isArray(volumes)) return f.pointer;
  const k = volumes.findIndex((v) => v && typeof v === 'object' && (v as { name?: unknown }).name === mount.name);
  return k === -1 ? f.pointer : `${m[1]}/volumes/${k}`;
}

function at(obj: unknown, pointer: string): unknown {
  let cur = obj;
  for (const raw of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = Array.isArray(cur) ? cur[Number(seg)] : (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Pointers on the same field: equal, or one inside the other. */
function related(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return long.startsWith(short) && long.charCodeAt(short.length) === 47; // '/'
}

function supersede(findings: Finding[], inv: Inventory, table: SupersessionTable): Finding[] {
  if (table.by.size === 0) return findings;
  // Only findings of controls in a supersession relation take part; grouped by object.
  const groups = new Map<string, number[]>();
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    if (!f.object) continue;
    if (!table.participants.has(f.controlId)) continue;
    const g = groups.get(f.object.id);
    if (g) g.push(i);
    else groups.set(f.object.id, [i]);
  }
  let objectIndex: Map<string, number> | undefined;
  const removed = new Uint8Array(findings.length);
  let any = false;
  const depth = (i: number): number => table.depth.get(findings[i]!.controlId) ?? 0;
  const fold = (winner: Finding, g: Finding): void => {
    addRelated(winner, { controlId: g.controlId, title: g.title, severity: g.severity });
    for (const r of g.related ?? []) addRelated(winner, r);
  };
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    // only groups where some member can supersede another
    if (!members.some((i) => table.by.has(findings[i]!.controlId))) continue;

    // Object scope (a binding's grants): the findings linked by a declaration are one root cause;
    // the most severe of them is reported (ties: the declared precedence), naming the others.
    const link = new Map<number, number>(); // union-find over the linked members' positions
    const find = (x: number): number => {
      let r = x;
      while (link.get(r) !== r) r = link.get(r)!;
      return r;
    };
    for (const gi of members) {
      const above = table.by.get(findings[gi]!.controlId);
      if (!above) continue;
      for (const fi of members) {
        if (fi === gi || above.get(findings[fi]!.controlId) !== 'object' || !findings[fi]!.suppressed !== !findings[gi]!.suppressed) continue;
        if (!link.has(fi)) link.set(fi, fi);
        if (!link.has(gi)) link.set(gi, gi);
        const a = find(fi);
        const b = find(gi);
        if (a !== b) link.set(Math.max(a, b), Math.min(a, b));
      }
    }
    if (link.size > 0) {
      const components = new Map<number, number[]>();
      for (const i of members) {
        if (!link.has(i)) continue;
        const r = find(i);
        const c = components.get(r);
        if (c) c.push(i);
        else components.set(r, [i]);
      }
      for (const c of components.values()) {
        if (c.length < 2) continue;
        const best = c.reduce((w, i) => {
          const a = findings[w]!;
          const b = findings[i]!;
          const d = SEV_RANK[b.severity] - SEV_RANK[a.severity] || depth(i) - depth(w) || (b.controlId < a.controlId ? -1 : b.controlId > a.controlId ? 1 : i - w);
          return d < 0 ? i : w;
        });
        for (const i of c) {
          if (i === best) continue;
          removed[i] = 1;
          any = true;
          fold(findings[best]!, findings[i]!);
        }
      }
    }

    // Field scope: the declared (more specific) control's finding is reported, with its own
    // severity, naming the others; superseders are decided before what they may replace.
    const ordered = members.filter((i) => !removed[i]).sort((x, y) => depth(x) - depth(y) || x - y);
    let roots: Map<number, string> | undefined;
    const rootOf = (i: number): string => {
      roots ??= new Map();
      let r = roots.get(i);
      if (r === undefined) {
        objectIndex ??= new Map(inv.objects.map((o, k) => [o.id, k]));
        roots.set(i, (r = rootPointer(findings[i]!, inv, objectIndex)));
      }
      return r;
    };
    for (const gi of ordered) {
      const g = findings[gi]!;
      const above = table.by.get(g.controlId);
      if (!above) continue;
      const winners: Finding[] = [];
      for (const fi of ordered) {
        if (fi === gi || removed[fi]) continue;
        const f = findings[fi]!;
        if (above.get(f.controlId) !== 'field') continue;
        if (!f.suppressed !== !g.suppressed) continue; // only within the same state
        if (!related(rootOf(fi), rootOf(gi))) continue;
        winners.push(f);
      }
      if (winners.length === 0) continue;
      removed[gi] = 1;
      any = true;
      for (const w of winners) fold(w, g);
    }
  }
  return any ? findings.filter((_, i) => !removed[i]) : findings;
}

function addRelated(w: Finding, r: RelatedFinding): void {
  const list = (w.related ??= []);
  if (list.some((x) => x.controlId === r.controlId)) return;
  list.push({ controlId: r.controlId, title: r.title, severity: r.severity });
  list.sort((a, b) => (a.controlId < b.controlId ? -1 : a.controlId > b.controlId ? 1 : 0));
}
