import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliForTest } from '../support/cli-run';
import { DAY, history, HOUR, MINUTE } from '../support/history';
import { createTempApp, TEST_START, type TempApp } from '../support/temp-app';

describe('org2fa patterns --format json', () => {
  let temp: TempApp;
  beforeEach(async () => {
    temp = await createTempApp();
  });
  afterEach(() => temp.close());

  it('prints each finding with its countries, networks, why and action', async () => {
    const h = history();
    // Guessing then a success (failures_then_success, and user_failures' five in an hour).
    for (let i = 0; i < 6; i++) h.fail(TEST_START - 2 * HOUR + i * MINUTE, 'victim', '177.10.3.3');
    h.succeed(TEST_START - 2 * HOUR + 8 * MINUTE, 'victim', '177.10.3.3');
    h.routine('victim', '85.214.1.1', TEST_START - 30 * DAY, 25);
    h.locate('85.214.1.1', { country: 'DE', asn: 6724 });
    h.locate('177.10.3.3', { country: 'BR', asn: 28573 });
    await h.writeTo(temp.app);

    const since = new Date(TEST_START - DAY).toISOString();
    const until = new Date(TEST_START).toISOString();
    const run = await runCliForTest(
      ['patterns', '--db', temp.dbPath, '--since', since, '--until', until, '--format', 'json'],
      '',
      temp.env,
    );
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    // One attack, one finding: the guessing's new country is said in its why, not apart.
    expect(printed.map((finding) => finding.kind)).toEqual(['failures_then_success']);
    for (const finding of printed) {
      expect(Object.keys(finding)).toEqual([
        'kind',
        'severity',
        'users',
        'ips',
        'countries',
        'asns',
        'start',
        'end',
        'count',
        'why',
        'action',
      ]);
      expect(finding.users).toEqual(['victim@acme.test']);
      expect(finding.countries).toEqual(['BR']);
      expect(finding.asns).toEqual([28573]);
      expect(String(finding.why)).toMatch(/\d/);
      expect(String(finding.action).length).toBeGreaterThan(20);
    }
    const guessed = printed.find((finding) => finding.kind === 'failures_then_success')!;
    expect(guessed.severity).toBe('high');
    expect(guessed.why).toMatch(/6 failed/);
    expect(guessed.why).toContain('verified from a country new for them: Brazil');
  });
});
