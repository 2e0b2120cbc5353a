import { defineControl, type Severity } from '../../engine/types.js';
import { CONTAINER_KIND_LABEL, asArray } from '../support/pod.js';

interface Hit {
  what: string;
  severity: Severity;
}

const ALL_INTERFACES = /^(?:\*|0\.0\.0\.0|\[?::\]?)$/;

/** JDWP in listening mode (`server=y`): on every interface (`*:5005`, `0.0.0.0:5005`), or a bare port (every interface before Java 9). */
function jdwp(text: string): Hit | undefined {
  const m = /(?:-agentlib:jdwp=|-Xrunjdwp:)(\S+)/.exec(text);
  if (!m) return undefined;
  const opts = Object.fromEntries(m[1]!.replace(/["']/g, '').split(',').map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1).trim()]));
  if ((opts['server'] ?? 'n').toLowerCase() !== 'y') return undefined;
  const address = opts['address'] ?? '';
  const host = address.includes(':') ? address.slice(0, address.lastIndexOf(':')) : '';
  if (ALL_INTERFACES.test(host)) return { what: 'a Java debugger (JDWP) listening on every interface', severity: 'high' };
  if (host === '' && /^\d+$/.test(address)) return { what: 'a Java debugger (JDWP) on a bare port (every interface before Java 9)', severity: 'medium' };
  return undefined;
}

/** `node --inspect=0.0.0.0:9229` (a bare `--inspect` listens on 127.0.0.1 only). */
function nodeInspect(text: string): Hit | undefined {
  const m = /--inspect(?:-brk|-wait)?=(\S+)/.exec(text);
  if (!m) return undefined;
  const value = m[1]!.replace(/["']/g, '');
  const host = value.includes(':') ? value.slice(0, value.lastIndexOf(':')) : /^\d+$/.test(value) ? '127.0.0.1' : value;
  return ALL_INTERFACES.test(host) ? { what: 'the Node.js inspector listening on every interface', severity: 'high' } : undefined;
}

/** `debugpy --listen 0.0.0.0:5678`, `ptvsd --host 0.0.0.0`. */
function pythonDebugger(text: string): Hit | undefined {
  if (/\bdebugpy\b[^;&|\n]*--listen[= ](?:0\.0\.0\.0|\*):?\d*/.test(text) || /\bptvsd\b[^;&|\n]*--host[= ]0\.0\.0\.0/.test(text)) return { what: 'a Python debugger (debugpy) listening on every interface', severity: 'high' };
  return undefined;
}

function inText(text: string): Hit | undefined {
  return jdwp(text) ?? nodeInspect(text) ?? pythonDebugger(text) ?? (/\bflask\b[^;&|\n]*\s--debug(?:ger)?\b/.test(text) ? { what: 'the Werkzeug debugger (flask run --debug)', severity: 'medium' } : undefined) ?? (/--management\.endpoints\.web\.exposure\.include=\S*(?:\*|heapdump|env\b)/.test(text) ? { what: 'Spring Boot actuator endpoints that dump the environment or the heap', severity: 'medium' } : undefined);
}

const TRUE = /^(?:1|true|yes|on)$/i;

export default defineControl({
  id: 'KOR-0310',
  name: 'remote-debugger-enabled',
  title: 'Remote debugger or debug console enabled',
  description:
    'A debugger port is remote code execution by design: JDWP (`-agentlib:jdwp=...server=y,address=*:5005`), the Node.js inspector on `0.0.0.0` and debugpy on `0.0.0.0` run any code the caller sends, with no authentication. The Werkzeug debugger behind `FLASK_DEBUG` is a Python console in the browser (only a PIN guards it, and `WERKZEUG_DEBUG_PIN=off` removes that); Spring Boot actuator `env` and `heapdump` endpoints hand out the environment and memory, secrets included. These switches belong on a developer\'s machine, not in a cluster, where any pod (and often the internet) can reach them.',
  layer: 'code',
  dimensions: ['Security', 'Applications'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: { nsa: ['upgrading-and-application-security-practices'], mitre: ['T1059', 'T1190'] },
  remediation: 'Remove the debugger options from the command, arguments and `JAVA_TOOL_OPTIONS`/`NODE_OPTIONS`/`FLASK_DEBUG` variables of the deployed manifest; debug with `kubectl port-forward` to a debugger bound to localhost in a non-production copy.',
  messages: {
    args: '{{kind}} "{{name}}" enables {{what}} in its {{field}}.',
    env: '{{kind}} "{{name}}" enables {{what}} through environment variable {{variable}}.',
  },
  severityTable: [
    { case: 'JDWP, Node.js inspector or debugpy on every interface; Werkzeug debugger with WERKZEUG_DEBUG_PIN=off', severity: 'high', reason: 'Unauthenticated code execution for whoever reaches the port.' },
    { case: 'JDWP on a bare port; Werkzeug debugger with its PIN; actuator env/heapdump exposed', severity: 'medium', reason: 'Code execution on older runtimes or behind a guessable PIN, or secrets read from the environment and heap.' },
  ],
  targets: 'container',
  check({ container, containerKind }, ctx) {
    const kind = CONTAINER_KIND_LABEL[containerKind];
    for (const field of ['command', 'args'] as const) {
      const list = asArray<unknown>(container[field]);
      const joined = list.filter((s): s is string => typeof s === 'string').join(' ');
      const hit = joined.trim() === '' ? undefined : inText(joined);
      if (!hit) continue;
      const i = Math.max(0, list.findIndex((s) => typeof s === 'string' && inText(s) !== undefined));
      ctx.report('args', { kind, name: container.name, what: hit.what, field }, `/${field}/${i}`, { severity: hit.severity });
    }
    const env = asArray<{ name?: unknown; value?: unknown }>(container.env);
    const literal = (name: string): string | undefined => {
      const e = env.find((x) => x && typeof x === 'object' && x.name === name && typeof x.value === 'string');
      return e ? (e.value as string).trim() : undefined;
    };
    if (env.length === 0) return;
    const pinOff = /^off$/i.test(literal('WERKZEUG_DEBUG_PIN') ?? '');
    env.forEach((e, i) => {
      if (!e || typeof e !== 'object' || typeof e.name !== 'string' || typeof e.value !== 'string') return;
      const value = e.value.trim();
      let hit: Hit | undefined;
      if (['JAVA_TOOL_OPTIONS', 'JAVA_OPTS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'CATALINA_OPTS', 'NODE_OPTIONS'].includes(e.name) || /_OPTS$|_OPTIONS$/.test(e.name)) hit = jdwp(value) ?? nodeInspect(value);
      else if ((e.name === 'FLASK_DEBUG' && TRUE.test(value)) || (e.name === 'FLASK_ENV' && value === 'development')) hit = { what: `the Werkzeug debugger${pinOff ? ' without its PIN (WERKZEUG_DEBUG_PIN=off)' : ''}`, severity: pinOff ? 'high' : 'medium' };
      else if (e.name === 'MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE' && /(?:^|,)\s*(?:\*|heapdump|env)\s*(?:,|$)/.test(value)) hit = { what: 'Spring Boot actuator endpoints that dump the environment or the heap', severity: 'medium' };
      if (hit) ctx.report('env', { kind, name: container.name, what: hit.what, variable: e.name }, `/env/${i}`, { severity: hit.severity });
    });
  },
});
