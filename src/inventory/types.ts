/**
 * The inventory: every object kordon read, with where it came from.
 * Plain data only; analyses are pure functions over it.
 */

/** A Kubernetes object as read (after YAML/JSON decoding). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid?: string; controller?: boolean }>;
  [field: string]: unknown;
}

/** Where an object came from. Lines and columns are 1-based. */
export interface Origin {
  /** File path as given (relative paths stay relative), `<stdin>`, or `cluster:<context>`. */
  source: string;
  /** 0-based index of the YAML document in a multi-document stream (0 for JSON). */
  documentIndex: number;
  /** JSON pointer of the object inside the document when it came out of a List (`/items/3`), else ''. */
  itemPointer: string;
  /** Line and column where the object starts. */
  line: number;
  column: number;
  /** What produced the text: plain file, a rendered Helm chart, a Kustomize build, a live cluster, a snapshot. */
  via?: 'file' | 'stdin' | 'helm' | 'kustomize' | 'cluster' | 'snapshot';
  /** For Helm output: the template the document was rendered from (`# Source:` comment). */
  template?: string;
  /** For Helm and Kustomize output: the chart or kustomization directory it was rendered from. */
  renderedFrom?: string;
}

export interface Position {
  line: number;
  column: number;
}

/** What a deferred position is written into (a finding). */
export interface Placed {
  location?: { source: string; line: number; column: number; renderedFrom?: string };
}

/** Writes a known position into `into.location` (line 0 or less: unknown, nothing changes). */
export function place(into: Placed, source: string, line: number, column: number): void {
  if (line <= 0) return;
  const loc = into.location;
  if (loc) {
    loc.line = line;
    loc.column = column;
  } else into.location = { source, line, column };
}

/** Resolves a JSON pointer inside an object to a position in its source text. */
export interface Locator {
  locate(origin: Origin, pointer: string): Position | undefined;
  /**
   * The same question, answered by the time settle() returns (a large text may be held by
   * another thread, which answers while the controls run): the position is written into
   * `into.location` (created with the origin's source when absent); when the position is
   * unknown, `into` is left as it is. A target, not a callback: a scan defers one lookup per
   * finding, and a closure for each costs more than the lookup.
   */
  locateLater?(origin: Origin, pointer: string, into: Placed): void;
  settle?(): void;
  /**
   * Input problems found after decoding (a large JSON text's repeated member names are looked
   * for by the thread that holds it): read once, when the inventory's problems are first asked.
   */
  lateProblems?(): InputProblem[];
  /**
   * No more field positions will be asked for: what holds the source texts may go (the thread
   * holding a large JSON text, and its copy of the text). Later questions are answered with the
   * object's own line; late problems stay available.
   */
  release?(): void;
}

export interface InventoryObject {
  /** Stable id within the inventory: `kind/namespace/name` (plus `#n` when repeated). */
  id: string;
  /** Position in `Inventory.objects` (set by the Inventory). */
  index?: number;
  object: K8sObject;
  origin: Origin;
}

export type ProblemCode =
  | 'unreadable'
  | 'too-large'
  | 'invalid-utf8'
  | 'yaml-syntax'
  | 'json-syntax'
  | 'alias-limit'
  | 'too-deep'
  | 'duplicate-key'
  | 'not-an-object'
  | 'not-kubernetes'
  | 'unknown-scope'
  | 'missing-kind'
  | 'missing-apiversion'
  | 'missing-name'
  | 'tool-missing'
  | 'tool-failed'
  | 'forbidden'
  | 'not-found'
  | 'api-error'
  | 'config'
  | 'control-error'
  | 'wrong-type'
  | 'redacted';

/**
 * Something that could not be read (fully). Problems are never dropped: every report lists them.
 * `message` must never contain a secret value.
 */
export interface InputProblem {
  source: string;
  line?: number;
  column?: number;
  documentIndex?: number;
  code: ProblemCode;
  /** error: the input (or part) was not scanned; warning: scanned, but read with a caveat. */
  severity: 'error' | 'warning';
  message: string;
}
