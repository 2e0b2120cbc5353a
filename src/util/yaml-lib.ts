/**
 * The `yaml` package (positions, documents, stringify), loaded on first use: most runs never
 * need it (manifests are read with js-yaml's event parser) and loading it costs tens of
 * milliseconds of start-up. Synchronous, so it serves checks and formatters as well. node:module
 * (with the ES module loader behind it, about a millisecond) is loaded only then too.
 */

type YamlLib = typeof import('yaml');
let lib: YamlLib | undefined;

export function yamlLib(): YamlLib {
  return (lib ??= process.getBuiltinModule('node:module').createRequire(import.meta.url)('yaml') as YamlLib);
}
