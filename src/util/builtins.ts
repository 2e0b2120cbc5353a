/**
 * Node built-ins that only some commands need (the cluster client's http/https, zlib, worker
 * threads, child processes, crypto), loaded when first used instead of at start-up: a scan of a
 * few files needs none of them, and loading them all costs tens of milliseconds (issue 12's
 * one-object scan). `process.getBuiltinModule` is synchronous and typed (Node >= 20.16).
 */
type Builtins = {
  http: typeof import('node:http');
  https: typeof import('node:https');
  zlib: typeof import('node:zlib');
  crypto: typeof import('node:crypto');
  worker_threads: typeof import('node:worker_threads');
  child_process: typeof import('node:child_process');
  v8: typeof import('node:v8');
  vm: typeof import('node:vm');
  os: typeof import('node:os');
  events: typeof import('node:events');
  // loaded at start by `import`, these cost a millisecond of every run (fs/promises brings
  // readline and assert): the commands that stream files load them when they run
  'fs/promises': typeof import('node:fs/promises');
  stream: typeof import('node:stream');
  string_decoder: typeof import('node:string_decoder');
  url: typeof import('node:url');
};

/** The built-in module, loaded on the first call. */
export function builtin<K extends keyof Builtins>(name: K): Builtins[K] {
  return process.getBuiltinModule(`node:${name}`) as Builtins[K];
}
