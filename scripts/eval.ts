import { judge, loadEval, summarise } from '../test/eval/evaluate.js';

/**
 * npm run eval: asks every question of the evaluation sets (test/eval/cases*.json) and prints accuracy per kind and part,
 * then every miss. `--part tuned` shows the misses of the tuned part only (held-out misses are
 * counted but, with that flag, not printed, so nobody tunes against them).
 */
const { lib, service, cases } = await loadEval();
const today = new Date().toISOString().slice(0, 10);
const onlyPart = process.argv.includes('--part')
  ? process.argv[process.argv.indexOf('--part') + 1]
  : undefined;
const outcomes = cases.map((c) => judge(lib, service, c, today));
const { byPart, bySet, byKind } = summarise(outcomes);
const pct = (r: { ok: number; total: number }) =>
  `${((100 * r.ok) / r.total).toFixed(1)}% (${r.ok}/${r.total})`;
console.log(`Eval on ${today}: ${cases.length} questions`);
for (const [k, r] of Object.entries(byKind).sort()) console.log(`  ${k.padEnd(28)} ${pct(r)}`);
for (const [k, r] of Object.entries(bySet).sort()) console.log(`  ${k.padEnd(28)} ${pct(r)}`);
for (const [k, r] of Object.entries(byPart)) console.log(`${k.padEnd(30)} ${pct(r)}`);
const misses = outcomes.filter((o) => !o.ok && (!onlyPart || o.case.part === onlyPart));
if (misses.length) console.log(`\nMisses${onlyPart ? ` (${onlyPart} only)` : ''}:`);
for (const m of misses)
  console.log(`- ${m.case.id} [${m.case.kind}] "${m.case.q}"\n    ${m.why.join('; ')}\n    got: ${m.got}`);
