/** Custom controls: YAML with CEL, and plugin modules (docs/custom-controls.md). */
export { CustomControlSchema, parseCustomControls, customControl, formatLoadProblem, type CustomControlSpec, type LoadProblem } from './definition.js';
export { loadCustomControls, checkPluginControl, type CustomControlSources, type LoadedCustomControls } from './load.js';
