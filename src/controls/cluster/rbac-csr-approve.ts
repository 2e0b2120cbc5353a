import { riskyGrantControl } from '../../rbac/risk-control.js';
import { CAPABILITIES } from '../../rbac/risk.js';

export default riskyGrantControl({
  id: 'KOR-0214',
  name: 'rbac-csr-approve',
  title: 'Certificate signing requests can be created and approved',
  description:
    'A subject that can both create certificate signing requests and approve them (certificatesigningrequests/approval update plus approve on the signer) can issue itself a client certificate for any user or group, including system:masters.',
  severity: 'high',
  effort: 'medium',
  frameworks: { cis: ['5.1.11'], mitre: ['T1649'] },
  remediation: 'Separate requesting from approving certificates, and restrict approve on signers with resourceNames to the signers that are needed.',
  capability: CAPABILITIES.approveCsr,
});
