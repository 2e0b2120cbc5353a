/** docs/cis.md: every CIS item of sections 1–4, how kordon answers it, and the control that reports it. */
import type { Control } from '../engine/types.js';
import { CIS_BENCHMARK, CIS_ITEMS, type CisItem } from './cis.js';

const FROM_API: Record<CisItem['basis'], string> = {
  flags: 'the component\'s static (mirror) pod command line; needs node access when the control plane shows none (managed clusters)',
  kubelet: 'the kubelet configuration from `nodes/NAME/proxy/configz` (where `get nodes/proxy` is permitted) or a KubeletConfiguration file',
  'kube-proxy': 'the kube-proxy ConfigMap (kube-system/kube-proxy, `config.conf`)',
  files: 'needs node access (file permissions and owners are not visible through the API)',
  review: 'manual: a judgement no configuration answers (the report says what to review)',
};
const ON_NODE: Record<CisItem['basis'], string> = {
  flags: 'the process command line (`/proc/PID/cmdline`; etcd also `ETCD_*` variables)',
  kubelet: 'the kubelet command line, then its `--config` file (flags win; v1beta1 defaults)',
  'kube-proxy': 'the kube-proxy command line, then its `--config` file',
  files: 'the file\'s mode and owner (names from the node\'s /etc/passwd and /etc/group)',
  review: 'manual',
};

/** Items answered otherwise than their basis says. */
const API_OVERRIDE: Record<string, string> = {
  '1.2.28': 'fails when `--encryption-provider-config` is not set; otherwise needs node access (the configuration is a file on the node)',
  '2.7': 'fails when etcd has no `--trusted-ca-file` or trusts the API server\'s `--client-ca-file`; otherwise manual (the certificates must be compared)',
  '4.2.7': 'needs node access (a kubelet command-line flag: configz does not show it)',
};

export function renderCisDoc(controls: readonly Control[], note: string): string {
  const byItem = new Map<string, string[]>();
  for (const c of controls) {
    if (!/^KOR-0[56]\d\d$/.test(c.id)) continue;
    for (const id of c.frameworks.cis ?? []) byItem.set(id, [...(byItem.get(id) ?? []), `${c.id} ${c.name}`]);
  }
  const out: string[] = [
    '# CIS Kubernetes Benchmark, sections 1–4',
    '',
    `<!-- ${note} -->`,
    '',
    `kordon answers every item of the ${CIS_BENCHMARK} sections 1 (control plane files and components), 2 (etcd), 3 (control plane configuration) and 4 (worker nodes) with one of: **pass**, **fail**, **needs node access** (the API does not show it: run \`kordon node\` on the node), **manual** (a judgement; the report says what to review) or **not applicable** (on a node: the component does not run there; the file does not exist). \`kordon node --cluster\` (or on snapshots and manifests) answers from the API; \`kordon node --root /\` on the node itself ([nodes.md](nodes.md)). The items a scan reports as findings are those of the controls in the last column; file items are only in \`kordon node\`.`,
    '',
    `${CIS_ITEMS.length} items.`,
    '',
    '| item | title | assessment | from the API | on a node | control |',
    '|---|---|---|---|---|---|',
  ];
  for (const it of CIS_ITEMS) {
    const ctl = byItem.get(it.id)?.join(', ') ?? (it.basis === 'files' ? '`kordon node` only' : '(manual)');
    out.push(`| ${it.id} | ${it.title.replace(/\|/g, '\\|')} | ${it.assessment} | ${API_OVERRIDE[it.id] ?? FROM_API[it.basis]} | ${ON_NODE[it.basis]} | ${ctl} |`);
  }
  return out.join('\n') + '\n';
}
