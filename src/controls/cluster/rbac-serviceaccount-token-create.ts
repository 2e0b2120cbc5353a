import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0204',
  name: 'rbac-serviceaccount-token-create',
  title: 'Service account tokens can be minted',
  description:
    'create on serviceaccounts/token issues a token for a service account without reading any Secret: the subject can act as any service account in scope (every one, unless resourceNames restricts it).',
  severity: 'high',
  effort: 'medium',
  frameworks: { cis: ['5.1.13'], mitre: ['T1528'] },
  remediation: 'Remove create on serviceaccounts/token, or restrict it with resourceNames to the one service account that needs tokens issued.',
  capability: CAPABILITIES.createTokens,
});
