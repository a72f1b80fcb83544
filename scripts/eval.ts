import { EVAL_SETS, judge, loadEval, summarise } from '../test/eval/evaluate.js';

/**
 * npm run eval: asks every question of the evaluation sets (test/eval/cases*.json) and prints
 * accuracy per kind, per set and part, then every miss. `--part tuned` shows the misses of the tuned
 * part only (held-out misses are counted but, with that flag, not printed, so nobody tunes against
 * them); `--markdown` prints the README's table instead.
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
if (process.argv.includes('--markdown')) {
  // The README's table: per kind, then per set, then all, tuned and held out side by side.
  const LABEL: Record<string, string> = {
    define: 'meaning of a term',
    cover: 'what an area covers',
    level: 'which level',
    activities: 'what a manager can do',
    resources: 'what to read',
    programme: 'programme facts',
    eligibility: 'eligibility in words',
    unanswerable: 'not in the sources (declined)',
  };
  const cell = (r?: { ok: number; total: number }) => (r ? `${r.ok}/${r.total}` : '—');
  const bold = (r: { ok: number; total: number }) => `**${pct(r)}**`;
  console.log('\n| Kind | Tuned | Held out |\n|---|---:|---:|');
  for (const [kind, label] of Object.entries(LABEL))
    console.log(`| ${label} | ${cell(byKind[`${kind} (tuned)`])} | ${cell(byKind[`${kind} (held-out)`])} |`);
  for (const set of Object.keys(EVAL_SETS))
    console.log(`| ${set} set | ${pct(bySet[`${set} tuned`]!)} | ${pct(bySet[`${set} held-out`]!)} |`);
  console.log(`| **all** | ${bold(byPart.tuned!)} | ${bold(byPart['held-out']!)} |`);
  process.exit(0);
}
const misses = outcomes.filter((o) => !o.ok && (!onlyPart || o.case.part === onlyPart));
if (misses.length) console.log(`\nMisses${onlyPart ? ` (${onlyPart} only)` : ''}:`);
for (const m of misses)
  console.log(`- ${m.case.id} [${m.case.kind}] "${m.case.q}"\n    ${m.why.join('; ')}\n    got: ${m.got}`);
