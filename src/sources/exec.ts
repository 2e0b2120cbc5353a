/** Runs an external tool and collects its output; never throws. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ToolRun {
  /** 'missing' when the binary is not on PATH. */
  status: 'ok' | 'failed' | 'missing';
  stdout: string;
  stderr: string;
  code: number | null;
}

export function runTool(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ToolRun> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      resolve({ status: 'missing', stdout: '', stderr: '', code: null });
      return;
    }
    // The time limit is kept here, not by spawn's `timeout` option: spawn clears its timer on
    // 'exit' only, and a binary that is missing never exits, so its timer kept the process
    // alive for the whole limit after the scan was done.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 120_000);
    let settled = false;
    const finish = (run: ToolRun): void => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      resolve(run);
    };
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish({ status: e.code === 'ENOENT' ? 'missing' : 'failed', stdout: '', stderr: e.message, code: null });
    });
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      let stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) stderr += `\nerror: ${cmd} did not finish within ${limitText(opts.timeoutMs ?? 120_000)} and was stopped`;
      finish({ status: code === 0 && !timedOut ? 'ok' : 'failed', stdout, stderr, code });
    });
  });
}

function limitText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** The last meaningful line of a tool's stderr, shortened, for error messages. */
export function toolError(run: ToolRun): string {
  const lines = run.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const l = lines.find((x) => /^error/i.test(x)) ?? lines[lines.length - 1] ?? `exit code ${run.code}`;
  return l.length > 300 ? l.slice(0, 300) + '…' : l;
}
