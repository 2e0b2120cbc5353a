/**
 * The `yaml` package (positions, documents, stringify), loaded on first use: most runs never
 * need it (manifests are read with js-yaml's event parser) and loading it costs tens of
 * milliseconds of start-up. Synchronous, so it serves checks and formatters as well.
 */
import { createRequire } from 'node:module';

type YamlLib = typeof import('yaml');
let lib: YamlLib | undefined;

export function yamlLib(): YamlLib {
  return (lib ??= createRequire(import.meta.url)('yaml') as YamlLib);
}
