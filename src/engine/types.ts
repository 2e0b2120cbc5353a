/**
 * The control API. A control is written once and serves every phase (files in CI, a live
 * cluster, admission). The engine hands each control its target; controls never walk
 * manifests themselves.
 */
import type { Inventory } from '../inventory/inventory.js';
import type { ContainerKind, Container, PodSpec } from '../inventory/podspec.js';
import type { InventoryObject, K8sObject } from '../inventory/types.js';

export type Layer = 'cloud' | 'cluster' | 'container' | 'code';
export const LAYERS: readonly Layer[] = ['cloud', 'cluster', 'container', 'code'];
export type Phase = 'develop' | 'distribute' | 'deploy' | 'runtime';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
export type Effort = 'low' | 'medium' | 'high';
/**
 * The eight dimensions of the Kubernetes Health Assessment, spelled as the mission spells them
 * (`kordon assess`). A control without `dimensions` counts for Security.
 */
export type Dimension =
  | 'Architecture'
  | 'Applications'
  | 'Scalability'
  | 'Storage & Backup'
  | 'CI/CD'
  | 'Disaster Recovery'
  | 'Monitoring & Health Checks'
  | 'Security';
export const DIMENSIONS: readonly Dimension[] = [
  'Architecture',
  'Applications',
  'Scalability',
  'Storage & Backup',
  'CI/CD',
  'Disaster Recovery',
  'Monitoring & Health Checks',
  'Security',
];
/** The four A's guarding the cluster. */
export type Guard = 'authentication' | 'authorization' | 'admission' | 'auditing';

/** Framework references. PSS entries are `baseline:<check-id>` / `restricted:<check-id>`. */
export interface FrameworkRefs {
  pss?: string[];
  nsa?: string[];
  cis?: string[];
  mitre?: string[];
}
export type Framework = keyof FrameworkRefs;
export const FRAMEWORKS: readonly Framework[] = ['pss', 'nsa', 'cis', 'mitre'];

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

export type TargetKind = 'container' | 'podSpec' | 'object' | 'inventory';

export interface ContainerTarget {
  container: Container;
  containerKind: ContainerKind;
  /** The pod spec the container belongs to (pod-level settings are inherited). */
  podSpec: PodSpec;
  /** The workload object. */
  object: K8sObject;
}

export interface PodSpecTarget {
  podSpec: PodSpec;
  /** Labels and annotations of the pod (template). */
  podMetadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  object: K8sObject;
}

export interface ReportOptions {
  /** A JSON patch (paths relative to the target, like the report pointer) that fixes it. */
  fix?: JsonPatchOp[];
  /** Inventory controls: the object the finding is about (default: none, i.e. the cluster). */
  object?: InventoryObject;
  /**
   * This finding's severity when the control grades its findings (by capability, host path, ...);
   * default: the control's. Never above the control's own severity, which is the worst it reports.
   */
  severity?: Severity;
}

export interface CheckContext<M extends string> {
  /** Say something: the only way a control raises a finding. `pointer` is relative to the target. */
  report(messageId: M, data: Record<string, string | number>, pointer: string, opts?: ReportOptions): void;
  /** The whole inventory, for lookups (a Service's pods, a namespace's labels, ...). */
  readonly inventory: Inventory;
  /** The object being checked (for inventory controls: undefined). */
  readonly item: InventoryObject | undefined;
}

interface ControlMeta<M extends string> {
  /** Stable forever (`KOR-0001`); never reused. */
  id: string;
  /** kebab-case; the file name. */
  name: string;
  title: string;
  description: string;
  layer: Layer;
  guard?: Guard;
  /** Health Assessment dimensions the control informs (default: `['Security']`). */
  dimensions?: Dimension[];
  phases: Phase[];
  severity: Severity;
  effort: Effort;
  frameworks: FrameworkRefs;
  /** Ends with a period. */
  remediation: string;
  messages: Record<M, string>;
  /** The control attaches a JSON-patch fix to (some of) its findings. */
  fixable?: boolean;
  /** Older ids that still select this control in exceptions and filters. */
  aliases?: string[];
  /** The same rule in CEL, true when the object passes (`kordon admission policies`; conventions in src/controls/support/cel.ts). */
  cel?: { expression: string; message: string };
  /**
   * For controls that grade their findings (ReportOptions.severity): each case with its severity
   * and the reason, as the control applies them (the catalogue prints this table). `severity`
   * above is then the worst case.
   */
  severityTable?: SeverityCase[];
  /**
   * The controls whose findings this control's finding stands for when both are about the same
   * root cause of the same object (docs/deduplication.md): `field` — the same field (pointers
   * equal or one inside the other; a container's volume mount counts as its volume); `object` —
   * anywhere on the object (a binding: what it grants is one decision). The superseded findings
   * are listed in the winner's `related`.
   */
  supersedes?: Supersedes;
}

/** See ControlMeta.supersedes. */
export interface Supersedes {
  field?: readonly string[];
  object?: readonly string[];
}

/** One row of a control's severity table. */
export interface SeverityCase {
  /** What is judged (`SYS_ADMIN`, `/var/log read-only`, ...). */
  case: string;
  /** `none`: the case is not reported (listed to say why). */
  severity: Severity | 'none';
  reason: string;
}

export interface ContainerControl<M extends string = string> extends ControlMeta<M> {
  targets: 'container';
  check(target: ContainerTarget, ctx: CheckContext<M>): void;
}
export interface PodSpecControl<M extends string = string> extends ControlMeta<M> {
  targets: 'podSpec';
  check(target: PodSpecTarget, ctx: CheckContext<M>): void;
}
export interface ObjectControl<M extends string = string> extends ControlMeta<M> {
  targets: 'object';
  /** Kinds handed to the control. */
  kinds: string[];
  check(object: K8sObject, ctx: CheckContext<M>): void;
}
export interface InventoryControl<M extends string = string> extends ControlMeta<M> {
  targets: 'inventory';
  /** The kinds whose objects the control judges (for the pass/fail counts of the score). */
  kinds: string[];
  check(inventory: Inventory, ctx: CheckContext<M>): void;
}

export type Control<M extends string = string> = ContainerControl<M> | PodSpecControl<M> | ObjectControl<M> | InventoryControl<M>;

/** Typed helper: a missing message or a wrong target signature is a compile error. */
export function defineControl<M extends string>(c: ContainerControl<M>): ContainerControl<M>;
export function defineControl<M extends string>(c: PodSpecControl<M>): PodSpecControl<M>;
export function defineControl<M extends string>(c: ObjectControl<M>): ObjectControl<M>;
export function defineControl<M extends string>(c: InventoryControl<M>): InventoryControl<M>;
export function defineControl<M extends string>(c: Control<M>): Control<M> {
  return c;
}

export interface ObjectRef {
  id: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Location {
  source: string;
  line: number;
  column: number;
  /** The Helm chart or Kustomize directory the object was rendered from (`source` is a file in it). */
  renderedFrom?: string;
}

export interface Suppression {
  by: 'annotation' | 'exceptions-file';
  reason: string;
  owner?: string;
  expires?: string;
}

export interface Finding {
  controlId: string;
  control: string;
  title: string;
  layer: Layer;
  severity: Severity;
  message: string;
  /** The object (absent for findings about the inventory as a whole). */
  object?: ObjectRef;
  /** Absolute JSON pointer into the object. */
  pointer: string;
  location?: Location;
  /** How the source text was produced (helm, kustomize, cluster, ...). */
  via?: string;
  container?: string;
  fix?: JsonPatchOp[];
  suppressed?: Suppression;
  /** Attack-path priority (kordon graph, src/graph/): set only when the scan asks for attack paths. */
  priority?: { score: number; onPaths: number; reason: string };
  /**
   * The findings of other controls on the same root cause that this one stands for (they are not
   * reported on their own): control ids, titles and severities, in id order. See docs/deduplication.md.
   */
  related?: RelatedFinding[];
  /**
   * For a finding about the pod template of a workload judged once for the pods running it (live
   * clusters, snapshots): how many pods run it.
   */
  pods?: number;
}

export interface RelatedFinding {
  controlId: string;
  title: string;
  /** The severity that control's finding had. */
  severity: Severity;
}
