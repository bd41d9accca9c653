import {
  expect,
  expectAccessible,
  initOrg,
  orgWithEnrolledAdmin,
  screenshot,
  signInThroughForm,
  signInWithCode,
  test,
  useColorScheme,
} from './fixtures';
import { canonicalJson, GENESIS_HASH } from '../../src/main/audit/audit-chain';
import { chainedRow } from '../../src/main/audit/audit.service';
import {
  insertAuditEvents,
  latestAuditHash,
  TEXT_SEARCH_WINDOW,
} from '../../src/main/store/audit.store';
import { openDatabase } from '../../src/main/store/database';
import { writeTransaction } from '../../src/main/store/transaction';

const admin = {
  org: 'Acme Corp',
  name: 'Ada Admin',
  email: 'ada@acme.test',
  password: 'correct horse battery staple',
};

test('audit explorer on a seeded history: findings, charts that filter, drawer', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const { api, secret } = await orgWithEnrolledAdmin(server, admin);
  await api.dispose();
  const seeded = await server.org2fa([
    'seed-demo',
    '--db',
    server.dbPath,
    '--users',
    '300',
    '--days',
    '60',
    '--seed',
    '7',
  ]);
  expect(seeded.code, seeded.stderr).toBe(0);

  await page.emulateMedia({ colorScheme: 'light' });
  await signInWithCode(page, server, admin.email, admin.password, secret);
  await page.getByRole('link', { name: 'Audit' }).click();
  await page.getByLabel('Time range').first().click();
  await page.getByRole('option', { name: 'Last 90 days' }).click();

  // The three planted patterns are found; the traveller's new network is told inside the
  // impossible-travel finding on the same sign-ins (one attack, one finding).
  const findings = page.getByRole('list', { name: 'Findings' }).getByRole('listitem');
  await expect(findings.filter({ hasText: 'Many failures for one user' })).toHaveCount(1);
  await expect(findings.filter({ hasText: 'Coordinated attack' })).toHaveCount(1);
  await expect(
    findings
      .filter({ hasText: 'Impossible travel' })
      .filter({ hasText: 'verified from a network never seen for them' }),
  ).toHaveCount(1);
  await expect(
    page.getByTestId('timeline-chart').locator('.recharts-bar-rectangle').first(),
  ).toBeVisible();
  await expectAccessible(page, 'audit page');
  await screenshot(page, 'audit-light');

  // A finding's link shows exactly its events.
  const bruteForce = findings.filter({ hasText: 'Many failures for one user' });
  await expect(bruteForce).toContainText('14 events');
  await bruteForce.getByRole('button', { name: 'Show events' }).click();
  await expect(page.getByText('14 events', { exact: true })).toBeVisible();
  const rows = page
    .getByRole('region', { name: 'Audit events' })
    .locator('tbody tr:not([aria-hidden])');
  await expect(rows).toHaveCount(14);
  await expect(rows.first()).toContainText('verify.failed');
  await expect(page).toHaveURL(/range=custom/);

  // The one-click preset, then a click on a timeline bar narrows the table to that bucket.
  await page.getByRole('button', { name: 'Failed 2FA attempts' }).click();
  await page.getByLabel('Time range').first().click();
  await page.getByRole('option', { name: 'Last 90 days' }).click();
  await expect(page.getByText(/^\d[\d,]*\+? events/)).toBeVisible();
  const bars = page.getByTestId('timeline-chart').locator('.recharts-bar-rectangle path');
  await bars.nth(Math.floor((await bars.count()) / 2)).click();
  await expect(page).toHaveURL(/range=custom&type=com\.alaigned\.auth\.2fa\.verify\.failed&since=/);
  const url = new URL(page.url().replace('/#/', '/'));
  const since = Date.parse(url.searchParams.get('since')!);
  const until = Date.parse(url.searchParams.get('until')!);
  expect(until - since).toBe(86_400_000);

  // A heatmap cell adds a weekday/hour filter, shown as a removable chip.
  await page.getByTestId('heatmap-chart').locator('rect').nth(100).click({ force: true });
  await expect(
    page.getByText(/(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday) \d\d:00–\d\d:59/),
  ).toBeVisible();
  await expect(page).toHaveURL(/weekday=\d&hour=\d+/);

  // The drawer shows every field of an event.
  await page.getByLabel('Time range').first().click();
  await page.getByRole('option', { name: 'Last 90 days' }).click();
  await page.getByRole('button', { name: 'Failed 2FA attempts' }).click();
  await page
    .getByRole('button', { name: /^Open event / })
    .first()
    .click();
  const drawer = page.getByRole('dialog', { name: 'Audit event' });
  for (const label of [
    'Event',
    'Time',
    'User ID',
    'Email',
    'IP address',
    'User agent',
    'Method',
    'Source',
    'Details',
  ]) {
    await expect(drawer.getByText(label, { exact: true })).toBeVisible();
  }
  await expectAccessible(page, 'audit drawer');
  await page.keyboard.press('Escape');

  // Text search goes on past the newest rows by itself: "enabled" is in the details of the two
  // times 2FA was switched on, today by Ada and 60 days ago in the seeded history, which is
  // older than the first window of rows a page reads.
  const verified = await server.org2fa(['audit', 'verify', '--db', server.dbPath]);
  expect(Number(/intact: (\d+) events/.exec(verified.stdout)?.[1])).toBeGreaterThan(
    TEXT_SEARCH_WINDOW,
  );
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByLabel('Time range').first().click();
  await page.getByRole('option', { name: 'Last 90 days' }).click();
  await page.getByLabel('Text in user agent or details').fill('enabled');
  await page.getByLabel('Text in user agent or details').press('Enter');
  await expect(page.getByText('2 events', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('settings_changed');
  await expect(rows.nth(1)).toContainText('settings_changed');
  await expect(rows.nth(1)).toContainText('198.51.100.10');

  // Thresholds are settings: raise "failures in a row" above 14 and that finding goes away.
  await page.getByRole('button', { name: 'Thresholds' }).click();
  const settings = page.getByRole('dialog', { name: 'Pattern thresholds' });
  await settings.getByLabel('Failures in a row').fill('20');
  await expectAccessible(page, 'pattern thresholds');
  await settings.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(settings).toBeHidden();
  await page.getByLabel('Time range').first().click();
  await page.getByRole('option', { name: 'Last 90 days' }).click();
  await expect(findings.filter({ hasText: 'Coordinated attack' })).toHaveCount(1);
  await expect(findings.filter({ hasText: 'Many failures for one user' })).toHaveCount(0);

  await useColorScheme(page, 'dark');
  await expectAccessible(page, 'audit page (dark)');
  await screenshot(page, 'audit-dark');
});

test('an event stored before the size caps is listed cut, and its drawer shows the whole value on request', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  await initOrg(server, admin);
  // As a database older than the caps holds one: 300 KB of details, a 3,100-character user agent.
  const details = { blob: 'x'.repeat(300_000), tail: 'the-very-end' };
  const userAgent = `Agent/9 ${'y'.repeat(3_100)}`;
  const opened = await openDatabase(server.dbPath);
  await writeTransaction(opened.db, async (trx) => {
    const prevHash = (await latestAuditHash(trx)) ?? GENESIS_HASH;
    await insertAuditEvents(trx, [
      chainedRow(prevHash, {
        type: 'com.alaigned.auth.2fa.verify.failed',
        ts: Date.now(),
        userId: 'web-7',
        email: 'mia@acme.test',
        ip: '203.0.113.24',
        userAgent,
        method: 'totp',
        details: canonicalJson(details),
        source: 'old.jsonl (imported 2026-01-01T00:00:00.000Z)',
      }),
    ]);
  });
  await opened.close();
  const bytes = Buffer.byteLength(canonicalJson(details)).toLocaleString('en-US');

  await page.goto(server.url);
  await signInThroughForm(page, admin.email, admin.password);
  await page.getByRole('link', { name: 'Audit' }).click();
  const row = page
    .getByRole('region', { name: 'Audit events' })
    .getByRole('row')
    .filter({ hasText: 'mia@acme.test' });
  await expect(row).toContainText('cut');
  await expect(row).toContainText(`[cut: ${bytes} bytes] {"blob":"xxx`);

  await row.getByRole('button', { name: /^Open event / }).click();
  const drawer = page.getByRole('dialog', { name: 'Audit event' });
  await expect(drawer.getByText(`Too large to list (${bytes} bytes`)).toBeVisible();
  await expect(drawer).not.toContainText('the-very-end');
  await expect(drawer).toContainText('(cut: 3,108 bytes in all)');
  await drawer.getByRole('button', { name: `Show the full value (${bytes} bytes)` }).click();
  await expect(drawer).toContainText('"tail": "the-very-end"');
  await expect(drawer).toContainText(userAgent);
  await expect(drawer.getByRole('button', { name: /^Show the full value/ })).toHaveCount(0);
});
