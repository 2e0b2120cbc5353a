/** Image reference parsing, following the distribution reference grammar (docker/distribution). */

export interface ImageRef {
  /** Registry host (with port) when the reference names one; undefined means the runtime's default (Docker Hub). */
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Parsed references by image string: a scan meets the same images in many pods (and several controls ask). */
const REF_CACHE = new Map<string, Readonly<ImageRef>>();
const REF_CACHE_LIMIT = 20_000;

/** Splits `[registry/]repo[:tag][@digest]`. The first path component is a registry when it has a `.` or `:`, or is `localhost`. */
export function parseImageRef(image: string): Readonly<ImageRef> {
  let ref = REF_CACHE.get(image);
  if (!ref) {
    if (REF_CACHE.size >= REF_CACHE_LIMIT) REF_CACHE.clear();
    REF_CACHE.set(image, (ref = Object.freeze(splitImageRef(image))));
  }
  return ref;
}

function splitImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash !== -1) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  const ref: ImageRef = registry !== undefined ? { registry, repository: rest } : { repository: rest };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** The pull policy the API server defaults when none is set: Always for `latest` or no tag (without digest), else IfNotPresent. */
export function effectivePullPolicy(image: string, policy: string | undefined): string {
  if (policy) return policy;
  const ref = parseImageRef(image);
  if (ref.digest === undefined && (ref.tag === undefined || ref.tag === 'latest')) return 'Always';
  return 'IfNotPresent';
}
