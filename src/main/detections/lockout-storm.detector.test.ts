import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDetector } from '../../../tests/support/detectors';
import { history, HOUR, MINUTE } from '../../../tests/support/history';
import { createTempApp, type TempApp } from '../../../tests/support/temp-app';
import { ACCOUNT_LOCKED_TYPES, auditEventTypes } from '../../shared/audit-events';
import lockoutStorm from './lockout-storm.detector';

const [SIGNIN_LOCKED, TWO_FACTOR_LOCKED] = ACCOUNT_LOCKED_TYPES;

describe('lockout_storm detector', () => {
  let temp: TempApp;
  let now: number;
  beforeEach(async () => {
    temp = await createTempApp();
    now = temp.clock.now();
  });
  afterEach(() => temp.close());

  it('counts lockouts by events the trail really has', () => {
    for (const type of ACCOUNT_LOCKED_TYPES) expect(auditEventTypes).toContain(type);
  });

  it('finds 3 accounts locked within 5 minutes, by passwords or by codes', async () => {
    const h = history();
    h.event(SIGNIN_LOCKED, now - 3 * HOUR, 'ann', '91.243.85.7', {});
    h.event(TWO_FACTOR_LOCKED, now - 3 * HOUR + 2 * MINUTE, 'bob', '91.243.85.7', {});
    h.event(SIGNIN_LOCKED, now - 3 * HOUR + 4 * MINUTE, 'cy', '91.243.85.8', {});
    await h.writeTo(temp.app);
    const findings = await runDetector(lockoutStorm, temp.app, now);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      count: 3,
      users: ['ann@acme.test', 'bob@acme.test', 'cy@acme.test'],
      ips: ['91.243.85.7', '91.243.85.8'],
      filter: { types: [...ACCOUNT_LOCKED_TYPES] },
    });
    expect(findings[0]!.why).toMatch(/3 accounts were locked out within 4 minutes \(3 lockouts\)/);
  });

  it('stays quiet at 2 accounts within 5 minutes, 3 spread over more, or one account locked thrice', async () => {
    const h = history();
    h.event(SIGNIN_LOCKED, now - 10 * HOUR, 'ann', '10.0.0.1', {});
    h.event(SIGNIN_LOCKED, now - 10 * HOUR + 4 * MINUTE, 'bob', '10.0.0.2', {});
    h.event(SIGNIN_LOCKED, now - 10 * HOUR + 10 * MINUTE, 'cy', '10.0.0.3', {});
    for (let i = 0; i < 3; i++)
      h.event(TWO_FACTOR_LOCKED, now - 5 * HOUR + i * MINUTE, 'dee', '10.0.0.4', {});
    await h.writeTo(temp.app);
    expect(await runDetector(lockoutStorm, temp.app, now)).toEqual([]);
    // Within 10 minutes the first three are a storm.
    expect(await runDetector(lockoutStorm, temp.app, now, { windowMinutes: 10 })).toHaveLength(1);
  });

  it('makes one finding of a long storm, high when twice the threshold', async () => {
    const h = history();
    for (let i = 0; i < 8; i++)
      h.event(TWO_FACTOR_LOCKED, now - 2 * HOUR + i * 90_000, `user${i}`, '91.243.85.7', {});
    await h.writeTo(temp.app);
    const findings = await runDetector(lockoutStorm, temp.app, now);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'high', count: 8 });
  });
});
