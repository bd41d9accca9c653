import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { passwordDecoyHash } from '../../src/main/auth/passwords';
import {
  apiClient,
  expect,
  expectAccessible,
  oathtool,
  orgWithEnrolledAdmin,
  screenshot,
  signInThroughForm,
  signInWithCode,
  test,
  useColorScheme,
} from './fixtures';

const admin = {
  org: 'Acme Corp',
  name: 'Ada Admin',
  email: 'ada@acme.test',
  password: 'correct horse battery staple',
};

test('an admin requires 2FA for admins only: a member is not redirected, an admin without 2FA is', async ({
  page,
  browser,
  server,
}) => {
  const { api, secret } = await orgWithEnrolledAdmin(server, admin);
  const imported = await api.call<{ users: Array<{ email: string; temporaryPassword: string }> }>(
    'users.import',
    {
      csv: 'email,name,role\nmia@acme.test,Mia Member,member\nsam@acme.test,Sam Second,site_admin\n',
      jobId: randomUUID(),
    },
  );
  const password = (email: string) =>
    imported.users.find((u) => u.email === email)!.temporaryPassword;
  await api.dispose();

  await signInWithCode(page, server, admin.email, admin.password, secret);
  await page.getByRole('link', { name: 'Settings · Security' }).click();
  await page
    .getByRole('switch', { name: /Require two-factor authentication/ })
    .check({ force: true });
  await page.getByRole('radio', { name: /Admins only/ }).check();
  await expectAccessible(page, 'security settings: admins only');
  await screenshot(page, 'security-settings-admins-only-light');
  await page.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: 'Require two-factor authentication?' });
  await expect(
    dialog.getByText('1 user will be sent to the setup page at their next sign-in:'),
  ).toBeVisible();
  await expect(
    dialog.getByRole('list', { name: 'Users who will be redirected to setup' }),
  ).toHaveText('Sam Second (sam@acme.test)');
  await expectAccessible(page, 'require confirmation');
  await screenshot(page, 'security-settings-confirm-light');
  await dialog.getByRole('button', { name: 'Require it' }).click();
  await expect(page.getByText('Two-factor authentication is required for admins')).toBeVisible();

  for (const [email, landsOn] of [
    ['mia@acme.test', /#\/$/],
    ['sam@acme.test', /#\/setup$/],
  ] as const) {
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(server.url);
    await signInThroughForm(other, email, password(email));
    await expect(other).toHaveURL(landsOn);
    await context.close();
  }
});

test('an admin resets a member’s 2FA; the member’s status and audit trail show it, and the member is told', async ({
  page,
  browser,
  server,
}) => {
  const { api, secret, backupCodes } = await orgWithEnrolledAdmin(server, admin);
  const added = await api.call<{ temporaryPassword: string }>('users.add', {
    email: 'mia@acme.test',
    name: 'Mia Member',
    role: 'member',
  });
  await api.dispose();
  const mia = await apiClient(server);
  await mia.call('auth.signIn', { email: 'mia@acme.test', password: added.temporaryPassword });
  await mia.call('org.getSettings');
  const { secret: miaSecret } = await mia.call<{ secret: string }>('twoFactor.beginSetup');
  await mia.call('twoFactor.confirmSetup', { code: oathtool(miaSecret) });
  await mia.dispose();

  await signInWithCode(page, server, admin.email, admin.password, secret);
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByLabel('Search').fill('mia');
  await expect(page.getByText('Showing 1 of 2 users')).toBeVisible();
  await page.getByRole('link', { name: 'Mia Member' }).click();
  await expect(page.getByRole('heading', { name: 'Mia Member' })).toBeVisible();
  await expect(page.getByText('Enrolled', { exact: true })).toBeVisible();
  await expectAccessible(page, 'user page');
  await screenshot(page, 'user-detail-light');

  await page.getByRole('button', { name: 'Reset two-factor authentication' }).click();
  const dialog = page.getByRole('dialog', {
    name: 'Reset two-factor authentication for Mia Member?',
  });
  await dialog.getByRole('button', { name: 'Reset' }).click();
  await expect(dialog.getByText('Enter a code')).toBeVisible();
  await dialog.getByLabel(/^Your authentication code/).fill('000000');
  await dialog.getByRole('button', { name: 'Reset' }).click();
  await expect(dialog.getByText('That code is not correct')).toBeVisible();
  // The sign-in just spent this step's code; a backup code proves it is the admin.
  await dialog.getByLabel(/^Your authentication code/).fill(backupCodes[0]!);
  await dialog.getByRole('button', { name: 'Reset' }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByText('Two-factor authentication was reset')).toBeVisible();
  await expect(page.getByText(/Tell Mia Member: “Sign in with your password/)).toBeVisible();
  await expect(page.getByText('Not enrolled', { exact: true })).toBeVisible();
  const resetRow = page
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: 'auth.2fa.reset' }) });
  await expect(resetRow).toContainText('actorEmail: ada@acme.test');
  await useColorScheme(page, 'dark');
  await expectAccessible(page, 'user page after reset (dark)');
  await screenshot(page, 'user-detail-reset-dark');

  // Mia's next visit, in her own browser: she is told who reset it and when, until she dismisses.
  const miaContext = await browser.newContext();
  const miaPage = await miaContext.newPage();
  await miaPage.goto(server.url);
  await signInThroughForm(miaPage, 'mia@acme.test', added.temporaryPassword);
  const notice = miaPage.getByRole('status').filter({
    hasText: 'An admin reset your two-factor authentication',
  });
  await expect(notice).toContainText('Ada Admin (ada@acme.test) reset it on');
  await expect(notice).toContainText('backup codes no longer work');
  await expectAccessible(miaPage, 'member home with reset notice');
  await screenshot(miaPage, 'member-reset-notice-light');
  await useColorScheme(miaPage, 'dark');
  await expectAccessible(miaPage, 'member home with reset notice (dark)');
  await screenshot(miaPage, 'member-reset-notice-dark');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
  await miaPage.reload();
  await expect(miaPage.getByRole('heading', { name: 'Welcome, Mia Member' })).toBeVisible();
  await expect(miaPage.getByText('An admin reset your two-factor authentication')).toBeHidden();
  await miaContext.close();
});

test('the users table handles 10,000 users: filters, search, sort and export the view', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const { api, secret } = await orgWithEnrolledAdmin(server, admin);
  await api.dispose();
  // Written straight into the console's SQLite file: users.import hashes a temporary password
  // per user at the full password cost, minutes for 10,000, and this test is about the table.
  const sqlite = new BetterSqlite3(server.dbPath);
  const insert = sqlite.prepare(
    `INSERT INTO users (id, email, name, role, password_hash, status, created_at)
     VALUES (?, ?, ?, ?, ?, 'active', ?)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < 10_000; i++)
      insert.run(
        randomUUID(),
        `user${String(i).padStart(5, '0')}@acme.test`,
        `User ${i}`,
        i % 10 === 0 ? 'enterprise_admin' : 'member',
        passwordDecoyHash(),
        Date.now(),
      );
  })();
  sqlite.close();

  await signInWithCode(page, server, admin.email, admin.password, secret);
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByText('Showing 10001 of 10001 users')).toBeVisible();
  // Only the rows in view are in the page.
  const rendered = await page
    .getByRole('region', { name: 'Users' })
    .locator('tbody tr:not([aria-hidden])')
    .count();
  expect(rendered).toBeLessThan(80);
  await screenshot(page, 'users-10k-light');
  await expectAccessible(page, 'users table');

  await page.getByLabel('Role', { exact: true }).first().click();
  await page.getByRole('option', { name: 'Enterprise Admin' }).click();
  await expect(page.getByText('Showing 1000 of 10001 users')).toBeVisible();
  await page.getByLabel('2FA status', { exact: true }).first().click();
  await page.getByRole('option', { name: 'Not enrolled' }).click();
  await expect(page.getByText('Showing 1000 of 10001 users')).toBeVisible();
  await page.getByLabel('Search').fill('user0999');
  await expect(page.getByText('Showing 1 of 10001 users')).toBeVisible();
  await page.getByLabel('Search').fill('user000');
  await expect(page.getByText('Showing 10 of 10001 users')).toBeVisible();
  // The filters are in the URL: a reload keeps the view.
  await page.reload();
  await expect(page.getByText('Showing 10 of 10001 users')).toBeVisible();

  await page.getByRole('button', { name: /^Email/ }).click(); // sorted ascending by default: now descending
  await expect(
    page.getByRole('region', { name: 'Users' }).locator('tbody tr:not([aria-hidden])').first(),
  ).toContainText('user00090@acme.test');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export view as CSV' }).click();
  const csv = fs
    .readFileSync((await (await download).path())!, 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toBe(
    'id,email,name,role,account_status,two_factor_status,last_verified_at,last_method,failures_last_7_days,backup_codes_left',
  );
  expect(csv).toHaveLength(11);
  expect(csv[1]).toContain('user00090@acme.test,User 90,enterprise_admin,active,not_enrolled');
  await useColorScheme(page, 'dark');
  await screenshot(page, 'users-filtered-dark');
  await expectAccessible(page, 'users table filtered (dark)');
});
