/** CEL value classes of the engine that callers construct (uint). */
export { UnsignedInt } from '@marcbachmann/cel-js/evaluator';
