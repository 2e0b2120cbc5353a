/** CEL value classes of the engine that callers construct or recognise (uint, duration). */
export { UnsignedInt, Duration } from '@marcbachmann/cel-js/evaluator';
