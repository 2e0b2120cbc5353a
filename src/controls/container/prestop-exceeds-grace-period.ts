import { defineControl } from '../../engine/types.js';
import { asRecord } from '../support/workloads.js';

/** A leading `sleep N` of an exec hook (`sleep 20`, `sh -c "sleep 20 && nginx -s quit"`). */
function execSleep(command: unknown): number | undefined {
  if (!Array.isArray(command)) return undefined;
  const words = command.filter((w): w is string => typeof w === 'string');
  if (words.length >= 2 && /(^|\/)sleep$/.test(words[0]!)) {
    const n = /^(\d+)s?$/.exec(words[1]!);
    return n ? Number(n[1]) : undefined;
  }
  if (words.length >= 3 && /(^|\/)(ba|da|a)?sh$/.test(words[0]!) && words[1] === '-c') {
    const m = /^\s*(?:exec\s+)?sleep\s+(\d+)s?(?:\s|;|&|$)/.exec(words[2]!);
    return m ? Number(m[1]) : undefined;
  }
  return undefined;
}

export default defineControl({
  id: 'KOR-0792',
  name: 'prestop-exceeds-grace-period',
  title: 'preStop hook waits as long as the whole grace period',
  description:
    'The grace period (`terminationGracePeriodSeconds`, default 30) counts from the moment a pod is asked to stop, and the preStop hook runs inside it. A hook that sleeps as long as the grace period or longer leaves the application no time after SIGTERM: it is killed mid-request, without closing connections or flushing data, on every rollout and drain. A `sleep` action longer than the grace period is refused by the API server; an exec `sleep` is not checked by anyone.',
  layer: 'container',
  dimensions: ['Applications', 'Disaster Recovery'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'medium',
  effort: 'low',
  frameworks: {},
  remediation: 'Make the grace period longer than the preStop wait plus the time the application needs to shut down (for example a 5 s sleep with the default 30 s), or shorten the sleep.',
  messages: {
    wait: 'preStop hook of container "{{name}}" waits {{sleep}} s within a grace period of {{grace}} s: the application gets no time to shut down after SIGTERM.',
    rejected: 'preStop sleep of container "{{name}}" lasts {{sleep}} s, longer than the grace period of {{grace}} s: the API server rejects it.',
  },
  targets: 'container',
  check({ container, podSpec }, ctx) {
    const pre = asRecord(asRecord(container.lifecycle)?.['preStop']);
    if (!pre) return;
    const g = podSpec['terminationGracePeriodSeconds'];
    const grace = typeof g === 'number' ? g : 30;
    const sleepAction = asRecord(pre['sleep'])?.['seconds'];
    if (typeof sleepAction === 'number') {
      if (sleepAction > grace) ctx.report('rejected', { name: container.name, sleep: sleepAction, grace }, '/lifecycle/preStop/sleep/seconds');
      else if (sleepAction === grace && grace > 0) ctx.report('wait', { name: container.name, sleep: sleepAction, grace }, '/lifecycle/preStop/sleep/seconds');
      return;
    }
    const sleep = execSleep(asRecord(pre['exec'])?.['command']);
    if (sleep !== undefined && sleep >= grace && sleep > 0) ctx.report('wait', { name: container.name, sleep, grace }, '/lifecycle/preStop/exec/command');
  },
});
