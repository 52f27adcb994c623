// Sums the TRX files of a test run: lists failed tests, then prints "N passed, M failed" as the last line and
// exits non-zero when anything failed. A project without a TRX file (it crashed or did not run) counts as a
// failure, and so does any test that was not executed: nothing is skipped silently.
const fs = require('fs');
const path = require('path');

const [dir, ...projects] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const failures = [];

for (const project of projects) {
  const name = path.basename(project, '.csproj');
  const file = path.join(dir, `${name}.trx`);
  if (!fs.existsSync(file)) {
    failed++;
    failures.push(`${name}: no test results (the test run crashed or did not start)`);
    continue;
  }
  const xml = fs.readFileSync(file, 'utf8');
  const counters = /<Counters\s+([^>]*)\/>/.exec(xml);
  if (!counters) {
    failed++;
    failures.push(`${name}: unreadable results`);
    continue;
  }
  const count = (key) => Number((new RegExp(`\\b${key}="(\\d+)"`).exec(counters[1]) || [0, 0])[1]);
  passed += count('passed');
  const bad = count('failed') + count('error') + count('timeout') + count('aborted') + count('inconclusive') + count('notExecuted');
  failed += bad;
  if (count('total') === 0) {
    failed++;
    failures.push(`${name}: no tests ran`);
  }
  const results = xml.matchAll(/<UnitTestResult\b[^>]*testName="([^"]*)"[^>]*outcome="(?!Passed)([^"]*)"/g);
  for (const r of results) failures.push(`${name}: ${r[1]} (${r[2]})`);
}

if (failures.length) {
  console.log('\nNot passed:');
  for (const f of failures) console.log(`  ${f}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
