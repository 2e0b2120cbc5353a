/** Output helpers shared by the commands. */
// synchronous calls: node:fs/promises costs a millisecond and more to load (it brings readline
// and assert), a fifth of a one-object scan's own work
import { accessSync, closeSync, constants, openSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { errnoText } from '../util/errno.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export const processIo: Io = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
};

/** Writes a text (or its pieces, in order) to the output file, or to standard output. */
export async function emit(io: Io, text: string | Iterable<string>, output: string | undefined): Promise<void> {
  const pieces = typeof text === 'string' ? [text] : text;
  if (output) {
    let fd: number;
    try {
      fd = openSync(output, 'w');
    } catch (err) {
      throw new UsageError(`cannot write ${output}: ${errnoReason(err)}`);
    }
    try {
      for (const piece of pieces) writeAll(fd, piece);
    } finally {
      closeSync(fd);
    }
  } else for (const piece of pieces) io.stdout(piece);
}

/** Writes the whole text (writeSync may write part of it, to a pipe or a full disk's last blocks). */
function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let at = 0;
  while (at < buf.length) at += writeSync(fd, buf, at, buf.length - at);
}

export function useColor(io: Io, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env['NO_COLOR']) return false;
  return io.isTTY;
}

export class UsageError extends Error {}

/**
 * Fails early, before a long scan or cluster read, when the output file cannot be written
 * (its folder is missing or read-only, or it is a folder). Creates nothing.
 */
export async function checkOutput(output: string | undefined): Promise<void> {
  if (!output) return;
  try {
    const st = statSync(output, { throwIfNoEntry: false });
    if (st?.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    accessSync(st ? output : path.dirname(path.resolve(output)), constants.W_OK);
  } catch (err) {
    throw new UsageError(`cannot write ${output}: ${errnoReason(err)}`);
  }
}

/** Why an output file cannot be written: a missing file means a missing folder here. */
function errnoReason(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? 'its folder does not exist' : (errnoText(err) ?? 'error');
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
