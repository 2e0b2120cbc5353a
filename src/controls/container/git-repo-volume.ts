import { defineControl } from '../../engine/types.js';
import { asArray } from '../support/pod.js';

export default defineControl({
  id: 'KOR-0157',
  name: 'git-repo-volume',
  title: 'Pod uses a gitRepo volume',
  supersedes: { field: ['KOR-0013'] },
  description:
    'A `gitRepo` volume makes the kubelet run `git clone` on the node, as root, outside any container. Crafted repositories have turned that into command execution on the node (CVE-2018-11235; CVE-2024-10220 through hooks, fixed in kubelet 1.28.12, 1.29.7 and 1.30.3), so anyone allowed to create a pod could take the node. The volume type is deprecated and turned off by default from Kubernetes 1.33; Pod Security restricted forbids it, baseline does not.',
  layer: 'container',
  dimensions: ['Security'],
  phases: ['develop', 'deploy', 'runtime'],
  severity: 'high',
  effort: 'low',
  frameworks: { nsa: ['pod-security-enforcement'], mitre: ['T1611', 'T1203'] },
  remediation: 'Replace the gitRepo volume with an emptyDir filled by an init container that runs git (from a pinned image), or bake the content into the image.',
  messages: { gitRepo: 'Volume "{{volume}}" is a gitRepo volume: the kubelet clones {{what}} on the node as root.' },
  targets: 'podSpec',
  check({ podSpec }, ctx) {
    asArray<Record<string, unknown>>(podSpec.volumes).forEach((v, i) => {
      if (!v || typeof v !== 'object' || !v['gitRepo'] || typeof v['gitRepo'] !== 'object') return;
      const repo = (v['gitRepo'] as { repository?: unknown }).repository;
      ctx.report('gitRepo', { volume: typeof v['name'] === 'string' ? v['name'] : String(i), what: typeof repo === 'string' && repo !== '' ? 'a repository' : 'a repository (none named)' }, `/volumes/${i}/gitRepo`);
    });
  },
  cel: {
    expression: '!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.gitRepo))',
    message: 'Pods must not use gitRepo volumes.',
  },
});
