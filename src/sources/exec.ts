/** Runs an external tool and collects its output; never throws. */
import { spawn } from 'node:child_process';

export interface ToolRun {
  /** 'missing' when the binary is not on PATH. */
  status: 'ok' | 'failed' | 'missing';
  stdout: string;
  stderr: string;
  code: number | null;
}

export function runTool(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ToolRun> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 120_000 });
    } catch {
      resolve({ status: 'missing', stdout: '', stderr: '', code: null });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      resolve({ status: e.code === 'ENOENT' ? 'missing' : 'failed', stdout: '', stderr: e.message, code: null });
    });
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({ status: code === 0 ? 'ok' : 'failed', stdout, stderr, code });
    });
  });
}

/** The last meaningful line of a tool's stderr, shortened, for error messages. */
export function toolError(run: ToolRun): string {
  const lines = run.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const l = lines.find((x) => /^error/i.test(x)) ?? lines[lines.length - 1] ?? `exit code ${run.code}`;
  return l.length > 300 ? l.slice(0, 300) + '…' : l;
}
