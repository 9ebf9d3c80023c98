/**
 * Runs inside VS Code's extension host (code-server), loaded through `extensionTestsPath`: the mocha
 * suites in this folder, with their results written as JSON where the outer test (test/e2e) reads them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface Outcome {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // NBCHECK_E2E_SUITE picks the suite: the trusted workspace's (default) or the untrusted one's.
  mocha.addFile(join(__dirname, `${process.env['NBCHECK_E2E_SUITE'] ?? 'extension'}.e2e.js`));
  const outcomes: Outcome[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env['NBCHECK_E2E_RESULTS'];
      if (file) writeFileSync(file, JSON.stringify(outcomes, null, 2));
      if (failures > 0) reject(new Error(`${failures} end-to-end tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => outcomes.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('fail', (t, err: Error) => outcomes.push({ title: t.fullTitle(), state: 'failed', error: `${err.message}\n${err.stack ?? ''}`.slice(0, 4000) }));
    runner.on('pending', (t) => outcomes.push({ title: t.fullTitle(), state: 'pending' }));
  });
}
