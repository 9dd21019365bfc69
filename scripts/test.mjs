#!/usr/bin/env node
// The whole test command: type check, lint, then every test on a real
// PostgreSQL; ends with the line CI reads: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

let failedSteps = 0;
// The package.json scripts of the same names, so the commands live in one place.
for (const [label, script] of [
  ['type check', 'typecheck'],
  ['lint', 'lint'],
]) {
  process.stdout.write(`\n== ${label}\n`);
  const status = run('pnpm', ['--silent', 'run', script]);
  if (status !== 0) {
    failedSteps += 1;
    process.stdout.write(`${label} failed\n`);
  }
}

process.stdout.write('\n== tests\n');
const out = path.join(root, '.warden-test', 'results.json');
mkdirSync(path.dirname(out), { recursive: true });
rmSync(out, { force: true });
const status = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)]);
let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed = report.numPassedTests;
  // A run that failed with no failed test (no suites, an error outside tests) still counts as one failure.
  failed = report.numFailedTests || (report.success && status === 0 ? 0 : 1);
} catch {
  failed = 1;
}
failed += failedSteps;
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
