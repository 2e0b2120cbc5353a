/** Test helper: runs the CLI in-process and collects what it printed. */
import { main } from '../../src/cli/main.js';

export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), isTTY: false, env: {} });
  return { code, out: out.join(''), err: err.join('') };
}
