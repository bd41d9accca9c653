#!/usr/bin/env node
// Electronegativity (Doyensec's Electron security linter) over the sources, as a gate:
//   - any HIGH finding fails, whatever the accepted list says;
//   - every other finding must be justified in scripts/electronegativity-accepted.json
//     (check, file, the flagged source line, reason), or it fails;
//   - an accepted entry that no longer matches a finding fails too, so the list stays true;
//   - a file the scanner could not parse fails (it would have been silently unchecked).
// Usage: node scripts/electronegativity.mjs [directory, default src]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const input = path.resolve(root, process.argv[2] ?? 'src');
const acceptedFile = path.join(root, 'scripts', 'electronegativity-accepted.json');

// The scanner makes two network calls: translations (1 s timeout, failure handled) and
// Electron's release list for AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK (no timeout: on a network
// that drops packets it hangs, which is how an earlier `npx electronegativity` run stalled).
// That check is excluded below; this watchdog makes sure nothing else can stall `npm test`.
const WATCHDOG_MS = 120_000;
const watchdog = setTimeout(() => {
  console.error(`electronegativity: no result after ${WATCHDOG_MS / 1000} s; giving up.`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

/**
 * AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK compares the Electron version in a package.json under the
 * input against GitHub's release notes: it needs the network and finds nothing in src/ (no
 * package.json there). Electron updates are tracked through package.json and npm instead.
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/** Findings are matched on check, file and the flagged line's text: line numbers move. */
function sameFinding(entry, finding) {
  return (
    entry.check === finding.check && entry.file === finding.file && entry.sample === finding.sample
  );
}

function readAccepted() {
  const entries = JSON.parse(fs.readFileSync(acceptedFile, 'utf8'));
  const problems = [];
  for (const [index, entry] of entries.entries()) {
    for (const key of ['check', 'file', 'sample', 'reason']) {
      if (typeof entry[key] !== 'string' || entry[key].trim() === '') {
        problems.push(`entry ${index} has no ${key}`);
      }
    }
  }
  return { entries, problems };
}

async function scan() {
  const run = require('@doyensec/electronegativity');
  const electronVersion = require('electron/package.json').version;
  const started = Date.now();
  const result = await run(
    {
      input,
      isRelative: true,
      isVerbose: false,
      customScan: [],
      excludeFromScan: EXCLUDED_CHECKS.map((check) => check.toLowerCase()),
      // src/ has no package.json to read it from; without it the scanner assumes Electron 0.1.0
      // and its insecure defaults.
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  );
  const inputName = path.relative(root, input) || '.';
  const findings = result.issues.map((issue) => ({
    check: issue.id,
    severity: issue.severity.name,
    confidence: issue.confidence.name,
    file: issue.file === 'N/A' ? 'N/A' : path.posix.join(inputName, issue.file),
    line: issue.location.line,
    sample: (issue.sample ?? 'N/A').trim(),
    description: issue.description,
  }));
  return { ...result, findings, electronVersion, seconds: (Date.now() - started) / 1000 };
}

const { entries: accepted, problems } = readAccepted();
const { findings, errors, atomicChecks, globalChecks, electronVersion, seconds } = await scan();

console.log(
  `Electronegativity over ${path.relative(root, input)}/ (Electron ${electronVersion}, ` +
    `${atomicChecks} atomic + ${globalChecks} global checks, ${seconds.toFixed(1)} s):`,
);
const failures = [...problems.map((problem) => `${path.basename(acceptedFile)}: ${problem}`)];
for (const error of errors) {
  const text = `could not parse ${error.file}: ${error.message}`;
  if (error.tolerable) console.log(`  note: ${text}`);
  else failures.push(text);
}
for (const finding of findings) {
  const entry = accepted.find((candidate) => sameFinding(candidate, finding));
  const verdict =
    finding.severity === 'HIGH' ? 'FAIL (HIGH)' : entry ? 'accepted' : 'FAIL (not justified)';
  console.log(
    `  ${verdict.padEnd(20)} ${finding.severity.padEnd(13)} ${finding.check}  ` +
      `${finding.file}:${finding.line}  ${finding.sample}`,
  );
  console.log(`      ${finding.description}`);
  if (entry && finding.severity !== 'HIGH') console.log(`      why accepted: ${entry.reason}`);
  if (verdict !== 'accepted') {
    failures.push(`${finding.check} at ${finding.file}:${finding.line} is ${verdict}`);
  }
}
if (findings.length === 0) console.log('  no findings');
for (const entry of accepted) {
  if (!findings.some((finding) => sameFinding(entry, finding))) {
    failures.push(
      `accepted ${entry.check} in ${entry.file} (${entry.sample}) no longer occurs: remove it`,
    );
  }
}

if (failures.length > 0) {
  console.error(`\nelectronegativity: ${failures.length} problem(s):`);
  for (const failure of failures) console.error(`  - ${failure}`);
  process.exit(1);
}
console.log(
  `\nelectronegativity: ${findings.length} finding(s), all justified in ${path.relative(root, acceptedFile)}.`,
);
process.exit(0);
