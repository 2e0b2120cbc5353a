import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { COMMANDS, commandsFor } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { runCli } from '../support/cli.js';

const io: Io = { stdout: () => undefined, stderr: () => undefined, isTTY: false, env: {} };

test('every command is registered under the name the start-up table gives it, and by nothing else', () => {
  for (const [name, register] of COMMANDS) {
    const program = new Command('kordon');
    register(program, io, () => undefined);
    assert.deepEqual(program.commands.map((c) => c.name()), [name], name);
  }
  const all = new Command('kordon');
  for (const [, register] of COMMANDS) register(all, io, () => undefined);
  assert.equal(new Set(all.commands.map((c) => c.name())).size, COMMANDS.length);
});

test('a command line naming a command registers that command only; anything else registers them all', () => {
  assert.deepEqual(commandsFor(['scan', 'x.yaml']).map(([n]) => n), ['scan']);
  assert.deepEqual(commandsFor(['rbac', 'who-can', 'get', 'pods']).map(([n]) => n), ['rbac']);
  for (const argv of [[], ['--help'], ['help', 'scan'], ['--version'], ['scna'], ['x.yaml']]) assert.equal(commandsFor(argv).length, COMMANDS.length, argv.join(' '));
});

test('help still lists every command, and a mistyped command is still a usage error with a suggestion', async () => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  for (const [name] of COMMANDS) assert.match(help.out, new RegExp(`^\\s+${name}\\b`, 'm'), name);
  const typo = await runCli(['scna', 'examples/']);
  assert.equal(typo.code, 2);
  assert.match(typo.err, /unknown command 'scna'[\s\S]*scan/);
  const one = await runCli(['pss', '--help']);
  assert.equal(one.code, 0);
  assert.match(one.out, /Usage: kordon pss/);
});
