/**
 * `pnpm bench:detectors`: values/s on one core (this process's main thread)
 * for each classify detector on its own labelled values (valid and
 * near-misses, from the deterministic corpus), and for classifyValue over the
 * whole mixed corpus. Also prints recall and precision of classifyValue on
 * the corpus. Target ≥ 1,000,000 values/s for the regex and checksum
 * detectors. Prints figures; asserts nothing about time.
 *
 * Imports classify by path: the test package does not depend on it.
 * Settings (environment): BENCH_DETECTOR_MS (1000 per detector and round),
 * BENCH_DETECTOR_ROUNDS (3; the median is printed), BENCH_DETECTOR_CORPUS (5000 per type).
 */
import {
  classifyValue,
  type Detector,
  detectAddress,
  detectBankCard,
  detectEmail,
  detectLandline,
  detectMobile,
  detectPersonName,
  detectPlate,
  detectResidentId,
  detectUscc,
  generateLabelledCorpus,
  type LabelledValue,
  type ValueType,
} from '../../packages/classify/src/index.js';

const millis = Number(process.env.BENCH_DETECTOR_MS ?? 1000);
const rounds = Number(process.env.BENCH_DETECTOR_ROUNDS ?? 3);
const perType = Number(process.env.BENCH_DETECTOR_CORPUS ?? 5000);

const corpus = generateLabelledCorpus(20261129, perType);
const values = corpus.map((c) => c.value);

function valuesOf(type: ValueType): string[] {
  return corpus.filter((c: LabelledValue) => c.label === type || c.imitates === type).map((c) => c.value);
}

/** Values/s of `fn` over `input`, whole passes, for about `millis` ms. */
function measure(fn: Detector, input: readonly string[]): number {
  let hits = 0;
  let done = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(millis) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < input.length; i++) if (fn(input[i] as string) !== undefined) hits++;
    done += input.length;
    elapsed = process.hrtime.bigint() - start;
  }
  if (hits < 0) console.log(hits); // keeps the results alive
  return done / (Number(elapsed) / 1e9);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const cases: [string, Detector, readonly string[]][] = [
  ['detectResidentId', detectResidentId, valuesOf('resident-id')],
  ['detectUscc', detectUscc, valuesOf('uscc')],
  ['detectBankCard', detectBankCard, valuesOf('bank-card')],
  ['detectMobile', detectMobile, valuesOf('mobile')],
  ['detectLandline', detectLandline, valuesOf('landline')],
  ['detectEmail', detectEmail, valuesOf('email')],
  ['detectPlate', detectPlate, valuesOf('plate')],
  ['detectPersonName', detectPersonName, valuesOf('person-name')],
  ['detectAddress', detectAddress, valuesOf('address')],
  ['classifyValue (mixed corpus)', classifyValue, values],
];

// Warm-up so that every function is optimised before it is timed.
for (const [, fn, input] of cases) for (let i = 0; i < 5; i++) for (const v of input) fn(v);

console.log(`node ${process.version}, ${values.length} corpus values, ${rounds} rounds × ${millis} ms, median values/s on one core`);
const results: Record<string, number> = {};
for (const [name, fn, input] of cases) {
  const runs: number[] = [];
  for (let r = 0; r < rounds; r++) runs.push(measure(fn, input));
  results[name] = Math.round(median(runs));
  console.log(`${name.padEnd(30)} ${results[name].toLocaleString('en-US').padStart(14)} values/s  (${input.length} values)`);
}

console.log('\nclassifyValue on the labelled corpus:');
for (const type of ['resident-id', 'uscc', 'bank-card', 'mobile', 'landline', 'email', 'person-name', 'address', 'plate'] as ValueType[]) {
  let tp = 0;
  let labelled = 0;
  let predicted = 0;
  for (const item of corpus) {
    const got = classifyValue(item.value)?.type === type;
    if (item.label === type) labelled++;
    if (got) predicted++;
    if (got && item.label === type) tp++;
  }
  console.log(`${type.padEnd(12)} recall ${((100 * tp) / labelled).toFixed(2)} %  precision ${((100 * tp) / predicted).toFixed(2)} %`);
}
