/**
 * kordon's public API. Library users import from here only.
 */
export { scanPaths, scanInventory, inventoryOf, type ScanOptions } from './scan.js';
export { loadManifests, type LoadOptions, type LoadResult } from './sources/manifests/load.js';
export { parseManifestText } from './sources/manifests/parse.js';
export { Inventory } from './inventory/inventory.js';
export type { K8sObject, InventoryObject, Origin, InputProblem, Position, Locator } from './inventory/types.js';
export { podSpecOf, containersOf, isPodBearing, POD_BEARING_KINDS } from './inventory/podspec.js';
export { defineControl } from './engine/types.js';
export type { Control, Finding, Layer, Phase, Severity, Effort, FrameworkRefs, JsonPatchOp, Dimension } from './engine/types.js';
export { DIMENSIONS } from './engine/types.js';
export { runControls } from './engine/run.js';
export { type ExceptionRule } from './engine/exceptions.js';
export { parseExceptionsFile } from './engine/exceptions-file.js';
export type { ScanResult } from './engine/result.js';
export { allControls, findControl } from './controls/index.js';
export { formatReport, REPORT_FORMATS, type ReportFormat } from './report/index.js';
export { VERSION } from './version.js';
export { buildPlan, type Plan, type PlanAction, type PlanPhase } from './plan/plan.js';
export { formatPlanPretty, formatPlanMarkdown, formatPlanJson } from './plan/format.js';
export { assessPaths } from './assess/run.js';
export { buildAssessment, type Assessment, type AssessmentAction, type DimensionResult, type QuarterPlan, type AssessOptions } from './assess/assess.js';
export { formatAssessmentPretty, formatAssessmentMarkdown } from './assess/format.js';
export { compareAssessments, parsePreviousAssessment, type Progress } from './assess/progress.js';
export { formatAssessmentHtml } from './report/assess-html.js';
export { scorecardSvg } from './report/scorecard.js';
export { redactCredentials } from './controls/support/snapshot-redaction.js';
