/** Pod Security Standards: the versioned checks, the evaluator and the admission dry run. */
export type { PssCheckDefinition, PssCheckId, PssCheckOutcome, PssEvaluation, PssLevel, PssLocation, PssPodMetadata, PssViolation } from './types.js';
export { formatPssVersion, parsePssVersion, policyVersionOf, NEWEST_PSS_MINOR, PSS_POLICY_SOURCE, type PssVersion } from './version.js';
export { PSS_CHECKS, activeChecks, pssCheck, pssChecksFor } from './catalogue.js';
export { admissionMessage, evaluatePodSecurity, evaluatePssCheck, forbiddenDetail } from './evaluate.js';
export { prepareAsApiServer } from './api-server-defaults.js';
export { namespacePolicy, pssDryRun, type PssDryRunOptions, type PssDryRunReport, type PssObjectResult, type PssReadiness } from './dry-run.js';
