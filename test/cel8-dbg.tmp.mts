import { compileCel, evaluateCel, toCel } from '../src/cel/engine.js';
for (const e of ["optional.of({'c': 1}).c", "optional.of({'c': 1}).c.hasValue()", "optional.none().?x.hasValue()", "optional.none()[?0].hasValue()", "optional.of(object.m).x.value()", "object.?m.x.value()", "optional.of(object.m).?x.value()"]) {
  const c = compileCel(e, ['object'], { heterogeneousLiterals: true });
  if (!c.ok) { console.log('COMPILE', e, c.error.message); continue; }
  const r = evaluateCel(c.program, { object: toCel({ m: { x: 'y' } }) });
  console.log(e, JSON.stringify(r));
}
