/** Output helpers shared by the commands. */
// synchronous calls: node:fs/promises costs a millisecond and more to load (it brings readline
// and assert), a fifth of a one-object scan's own work
import { accessSync, closeSync, constants, fstatSync, openSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { errnoText } from '../util/errno.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * Writes to standard output or error (fd 1 or 2) with synchronous calls, as Node's own streams do
 * for files and pipes on Linux: creating `process.stdout` loads node:stream and its dozen modules,
 * a few milliseconds of a one-object scan. A reader that closed the pipe (`kordon ... | head`) is
 * not an error: the rest of the output is dropped and the run ends with its own exit code, so a
 * `--fail-on` gate behind `| head` still fails.
 */
export function writeFd(fd: 1 | 2, text: string): void {
  if (text.length === 0 || closedFds.has(fd)) return;
  const buf = Buffer.from(text, 'utf8');
  let at = 0;
  while (at < buf.length) {
    try {
      at += writeSync(fd, buf, at, buf.length - at);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // a descriptor another process left non-blocking: wait for the reader, then go on
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
      else if (code === 'EPIPE' || fd === 2) {
        // nobody reads it any more (or, for standard error, there is nowhere to say it failed)
        closedFds.add(fd);
        return;
      }
      // a full disk behind `> file` is the output's problem, not a bug (exit 2, as for -o)
      else throw new UsageError(`cannot write to standard output: ${errnoText(err) ?? 'error'}`);
    }
  }
}
const closedFds = new Set<number>();
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Whether a descriptor is a terminal, without creating its stream. node:tty loads node:net and
 * node:stream (a few milliseconds), so it is asked only about character devices other than the
 * memory devices (/dev/null): pipes and files are never terminals.
 */
export function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    // Linux's device number: major 1 is /dev/null, /dev/zero and the other memory devices
    if (process.platform === 'linux' && ((st.rdev >> 8) & 0xfff) === 1) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

let stdoutTTY: boolean | undefined;
export const processIo: Io = {
  stdout: (s) => writeFd(1, s),
  stderr: (s) => writeFd(2, s),
  get isTTY() {
    return (stdoutTTY ??= isTerminal(1));
  },
  env: process.env,
};

/**
 * Standard error for progress lines: `isTTY` without creating the stream; the stream (for its
 * terminal width) only once a line is drawn, which happens only on a terminal.
 */
export const stderrSink = {
  get isTTY(): boolean {
    return isTerminal(2);
  },
  get columns(): number | undefined {
    return process.stderr.columns;
  },
  write(s: string): boolean {
    writeFd(2, s);
    return true;
  },
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
    } catch (err) {
      // a full disk or quota while writing: the report is incomplete, said as for a file that cannot be
      // opened (an error of the report itself is not a write error and goes on as it is)
      if ((err as NodeJS.ErrnoException | undefined)?.syscall === 'write') throw new UsageError(`cannot write ${output}: ${errnoReason(err)}`);
      throw err;
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
