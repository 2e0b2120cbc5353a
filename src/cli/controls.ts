/** `kordon controls`: the catalog with all its metadata. */
import type { Command } from 'commander';
import { allControls } from '../controls/index.js';
import { controlMeta } from '../report/json.js';
import { EXIT } from './exit-codes.js';
import { emit, UsageError, type Io } from './io.js';

export function registerControls(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('controls')
    .description('list the control catalog with its metadata')
    .option('-f, --format <format>', 'pretty or json', 'pretty')
    .option('-o, --output <file>', 'write to a file')
    .action(async (flags: { format: string; output?: string }) => {
      if (flags.format === 'json') {
        await emit(io, JSON.stringify({ controls: allControls.map(controlMeta) }, null, 2) + '\n', flags.output);
      } else if (flags.format === 'pretty') {
        const lines = allControls.map((c) => `${c.id}  ${c.severity.padEnd(8)} ${c.layer.padEnd(9)} ${c.name}  ${c.title}  [${(c.dimensions ?? ['Security']).join(', ')}]`);
        await emit(io, lines.join('\n') + `\n${allControls.length} controls\n`, flags.output);
      } else throw new UsageError(`unknown format "${flags.format}"; use pretty or json`);
      done(EXIT.ok);
    });
}
