/** Output helpers shared by the commands. */
import { promises as fs } from 'node:fs';

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
    const file = await fs.open(output, 'w');
    try {
      for (const piece of pieces) await file.write(piece);
    } finally {
      await file.close();
    }
  } else for (const piece of pieces) io.stdout(piece);
}

export function useColor(io: Io, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env['NO_COLOR']) return false;
  return io.isTTY;
}

export class UsageError extends Error {}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
