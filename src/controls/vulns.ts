/** Image vulnerability controls (ids KOR-0400..KOR-0449): findings from `scan --vulns` (docs/vulns.md). */
import type { Control } from '../engine/types.js';
import imageVulnerabilityInUse from './container/image-vulnerability-in-use.js';
import imageVulnerability from './container/image-vulnerability.js';
import imageVulnerabilityNotObserved from './container/image-vulnerability-not-observed.js';

export const vulnControls: Control[] = [imageVulnerabilityInUse, imageVulnerability, imageVulnerabilityNotObserved];
