/**
 * Runtime evidence, normalised: what one tool observed one container doing.
 *
 * Every reader (Kubescape profiles, Tetragon events, Falco alerts, kordon's own format) turns its
 * input into `ContainerEvidence` records: who (a selector naming the container as the tool
 * names it), what (observations, each of one kind with one value), over which window, and
 * whether the tool says its record is complete. Consumers pick the kinds they need (vulnerability
 * reachability reads `exec` and `open`); further kinds (syscalls, capabilities, network flows)
 * are added here as new members of `ObservationKind`, with readers filling them.
 */

export type RuntimeTool = 'kubescape' | 'tetragon' | 'falco' | 'kordon';

/** What was observed: a file executed, a file opened (mapped libraries included), a syscall made, a capability used. */
export type ObservationKind = 'exec' | 'open' | 'syscall' | 'capability';

export interface Observation {
  kind: ObservationKind;
  /** The path (for exec/open), the syscall or capability name. */
  value: string;
  /**
   * For paths: true when `value` is a pattern (Kubescape: `⋯` one path segment, `*` any
   * number of characters across segments).
   */
  pattern?: boolean;
}

/** How a tool names the container it observed (as much as it knows). */
export interface ContainerSelector {
  namespace?: string;
  /** Workload kind and name (`Deployment`, `storefront`) when the tool names them. */
  workloadKind?: string;
  workload?: string;
  pod?: string;
  container?: string;
  /** The image as the tool saw it (reference or `…@sha256:` id). */
  image?: string;
}

export interface ContainerEvidence {
  tool: RuntimeTool;
  selector: ContainerSelector;
  /** File and line (1-based) of the record; event streams: the first event's line. */
  source: string;
  line?: number;
  observations: Observation[];
  /** The time the evidence covers (RFC 3339), as stated or as the events span. */
  window?: { from?: string; to?: string };
  /**
   * True only when the tool states its record of this container is complete for the window
   * (Kubescape: `kubescape.io/status: completed` and `kubescape.io/completion: complete`;
   * kordon format: `complete: true` with a window). Event streams are never complete by
   * themselves: an absent event proves nothing.
   */
  complete: boolean;
  /** Why it is or is not complete, in words. */
  completeness: string;
}

/** The key evidence for one container is merged under. */
export function selectorKey(s: ContainerSelector): string {
  return [s.namespace ?? '', s.workloadKind ?? '', s.workload ?? '', s.pod ?? '', s.container ?? ''].join('/');
}
