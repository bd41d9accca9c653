import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetector } from '../../../tests/support/detectors';
import { DAY, history, HOUR, SUCCESS } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import backupCodeBurst from './backup-code-burst.detector';

describe('backup_code_burst detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  /** A sign-in with a backup code: a successful verification by that method. */
  const spend = (h: ReturnType<typeof history>, ts: number, user: string, ip: string) => {
    h.succeed(ts, user, ip);
    h.events.at(-1)!.method = 'backup_code';
  };

  it('finds one user spending 3 backup codes within a day', async () => {
    const h = history();
    h.routine('victim', '198.51.100.7', now - 30 * DAY, 29);
    spend(h, now - 20 * HOUR, 'victim', '91.243.85.7');
    spend(h, now - 12 * HOUR, 'victim', '91.243.85.7');
    spend(h, now - 2 * HOUR, 'victim', '91.243.85.7');
    await h.writeTo(temp.app);
    const findings = await runDetector(backupCodeBurst, temp.app, now);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      count: 3,
      users: ['victim@acme.test'],
      ips: ['91.243.85.7'],
      remedies: ['reset_two_factor'],
      filter: { types: [SUCCESS], userId: 'victim', method: 'backup_code' },
    });
    expect(findings[0]!.why).toMatch(
      /victim@acme\.test signed in with 3 backup codes within 18 hours from one address/,
    );
  });

  it('stays quiet at 2 codes a day, 3 spread over more than a day, and TOTP sign-ins', async () => {
    const h = history();
    spend(h, now - 10 * DAY, 'ann', '10.0.0.1');
    spend(h, now - 10 * DAY + 3 * HOUR, 'ann', '10.0.0.1');
    spend(h, now - 5 * DAY, 'bob', '10.0.0.2');
    spend(h, now - 4 * DAY + HOUR, 'bob', '10.0.0.2');
    spend(h, now - 3 * DAY + 2 * HOUR, 'bob', '10.0.0.2');
    for (let i = 0; i < 6; i++) h.succeed(now - DAY + i * HOUR, 'cy', '10.0.0.3');
    await h.writeTo(temp.app);
    expect(await runDetector(backupCodeBurst, temp.app, now)).toEqual([]);
    // Two codes within hours are a burst of two; bob's are 25 hours apart, never two a day.
    const ofTwo = await runDetector(backupCodeBurst, temp.app, now, { minCodes: 2 });
    expect(ofTwo.map((f) => f.users)).toEqual([['ann@acme.test']]);
  });

  it('makes one finding of a longer run, high at twice the threshold or from several addresses', async () => {
    const h = history();
    for (let i = 0; i < 6; i++) spend(h, now - 30 * HOUR + i * 5 * HOUR, 'dee', '10.0.0.4');
    spend(h, now - 50 * DAY, 'eve', '10.0.0.5');
    spend(h, now - 50 * DAY + HOUR, 'eve', '91.243.85.7');
    spend(h, now - 50 * DAY + 2 * HOUR, 'eve', '91.243.85.7');
    await h.writeTo(temp.app);
    const findings = await runDetector(backupCodeBurst, temp.app, now);
    expect(findings.map((f) => [f.users[0], f.count, f.severity])).toEqual([
      ['dee@acme.test', 6, 'high'],
      ['eve@acme.test', 3, 'high'],
    ]);
  });
});
