/** `kordon controls`: the catalog with all its metadata (custom controls included). */
import type { Command } from 'commander';
import { controlMeta } from '../report/json.js';
import { EXIT } from './exit-codes.js';
import { collect, emit, UsageError, type Io } from './io.js';
import { customCatalog, resolveConfig } from './scan.js';

export function registerControls(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('controls')
    .description('list the control catalog with its metadata (custom controls of --controls-dir and the config file included)')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('-o, --output <file>', 'write to a file')
    .option('--controls-dir <dir>', 'also list the custom controls in this directory (repeatable)', collect)
    .option('--config <file>', 'config file (default: .kordon.yaml found upward)')
    .option('--no-config', 'read no config file')
    .action(async (flags: { format: string; output?: string; controlsDir?: string[]; config?: string | false }) => {
      if (flags.format !== 'json' && flags.format !== 'pretty') throw new UsageError(`unknown format "${flags.format}"; use pretty or json`);
      const catalog = await customCatalog(flags.controlsDir, await resolveConfig(flags.config));
      if (flags.format === 'json') {
        await emit(io, JSON.stringify({ controls: catalog.map(controlMeta) }, null, 2) + '\n', flags.output);
      } else {
        const lines = catalog.map((c) => `${c.id}  ${c.severity.padEnd(8)} ${c.layer.padEnd(9)} ${c.name}  ${c.title}  [${(c.dimensions ?? ['Security']).join(', ')}]`);
        await emit(io, lines.join('\n') + `\n${catalog.length} controls\n`, flags.output);
      }
      done(EXIT.ok);
    });
}
