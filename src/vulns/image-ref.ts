/**
 * Image references as the container runtime reads them: `nginx` is
 * `docker.io/library/nginx:latest`; `index.docker.io` and `registry-1.docker.io` are
 * `docker.io`; a first component with a dot, a colon or `localhost` is a registry; the tag is
 * `latest` only when neither a tag nor a digest is given. Runtime image ids
 * (`docker-pullable://…`, `docker://sha256:…`, `containerd://…`) are read for their digest.
 */

export interface ImageName {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

/** Strips a runtime scheme (`docker-pullable://`, `docker://`, `containerd://`, `cri-o://`). */
export function stripScheme(s: string): string {
  return s.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
}

/**
 * Parses a reference; undefined when it is not one (empty, spaces, a bare digest). `latest` is
 * supplied for a reference without tag or digest, as the runtime pulls it, unless
 * `defaultTag` is false (a report that names a repository only says nothing about a tag).
 */
export function parseImageRef(input: string, opts: { defaultTag?: boolean } = {}): ImageName | undefined {
  let s = stripScheme(input);
  if (!s || /\s/.test(s) || /^sha(256|512):/.test(s)) return undefined;
  let digest: string | undefined;
  const at = s.indexOf('@');
  if (at >= 0) {
    digest = s.slice(at + 1).toLowerCase();
    s = s.slice(0, at);
    if (!/^sha(256|512):[0-9a-f]+$/.test(digest)) digest = undefined;
  }
  let tag: string | undefined;
  const lastSlash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = s.slice(colon + 1);
    s = s.slice(0, colon);
  }
  if (!s) return undefined;
  const parts = s.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) registry = parts.shift()!.toLowerCase();
  if (DOCKER_HUB.has(registry)) registry = 'docker.io';
  let repository = parts.join('/');
  if (registry === 'docker.io' && parts.length === 1) repository = `library/${repository}`;
  if (!tag && !digest && opts.defaultTag !== false) tag = 'latest';
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `registry/repository:tag` (no digest): what a tag match compares; undefined without a tag. */
export function taggedName(n: ImageName): string | undefined {
  return n.tag ? `${n.registry}/${n.repository}:${n.tag}` : undefined;
}

/** `registry/repository`. */
export function repositoryOf(n: ImageName): string {
  return `${n.registry}/${n.repository}`;
}

/** The full normalised form: `registry/repository[:tag][@digest]`. */
export function normalisedRef(n: ImageName): string {
  return `${n.registry}/${n.repository}${n.tag ? `:${n.tag}` : ''}${n.digest ? `@${n.digest}` : ''}`;
}
