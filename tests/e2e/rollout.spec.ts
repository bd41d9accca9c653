import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { simpleParser } from 'mailparser';
import type { Page } from '@playwright/test';
import { localDateOf } from '../../src/shared/rollout';
import {
  apiClient,
  expect,
  expectAccessible,
  initOrg,
  oathtool,
  screenshot,
  signInThroughForm,
  test,
  useColorScheme,
} from './fixtures';

const admin = {
  org: 'Acme Corp',
  name: 'Ada Admin',
  email: 'ada@acme.test',
  password: 'correct horse battery staple',
};
const DAY = 86_400_000;

/** Picks a day in a Mantine date picker, paging forward month by month to reach it. */
async function pickDate(page: Page, label: string, date: string) {
  await page.getByLabel(label).click();
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const name = `${d} ${new Date(Date.UTC(y, m - 1, d)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' })} ${y}`;
  const day = page.getByRole('button', { name, exact: true });
  // The calendar opens with a transition: only once it shows can "not visible" mean
  // "another month" (checking earlier paged past the month under load in CI).
  const nextMonth = page.locator('[data-direction="next"]').first();
  await expect(nextMonth).toBeVisible();
  for (let i = 0; i < 3 && !(await day.isVisible()); i++) await nextMonth.click();
  await day.click();
}

test('rollout through all three phases, with a member who enrolls in between', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  await initOrg(server, admin);
  for (const [email, name] of [
    ['mia@acme.test', 'Mia Member'],
    ['noah@acme.test', 'Noah Member'],
  ] as const) {
    const added = await server.org2fa(
      ['users', 'add', '--db', server.dbPath, '--email', email, '--name', name].concat([
        '--role',
        'member',
        '--password-stdin',
      ]),
      'member passphrase 1\n',
    );
    expect(added.code, added.stderr).toBe(0);
  }

  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await signInThroughForm(page, admin.email, admin.password);
  // A slow answer on whether the sign-in still counts as a recent proof (a busy machine): the
  // confirmation must wait for it, not ask for a code it does not need (this failed in CI).
  const slowReauthStatus = '**/api/auth.reauthStatus';
  await page.route(slowReauthStatus, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await route.continue();
  });
  await page.getByRole('link', { name: 'Rollout' }).click();
  await expect(page.getByRole('heading', { name: 'Two-factor rollout' })).toBeVisible();
  await expect(page.getByText('0 of 3')).toBeVisible();

  // Phase 1: enable, optional.
  await page.getByRole('button', { name: 'Enable 2FA (optional for users)' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Enable' }).click();
  await expect(page.getByText('Two-factor authentication enabled')).toBeVisible();
  await expect(page.getByText('Enter a code')).toHaveCount(0);
  await page.unroute(slowReauthStatus);
  await expect(page.getByRole('button', { name: 'Enable 2FA (optional for users)' })).toHaveCount(
    0,
  );

  // The admin sets up 2FA (from another client: it is theirs to do before requiring it).
  const adminApi = await apiClient(server);
  await adminApi.call('auth.signIn', { email: admin.email, password: admin.password });
  const adminSetup = await adminApi.call<{ secret: string }>('twoFactor.beginSetup');
  await adminApi.call('twoFactor.confirmSetup', { code: oathtool(adminSetup.secret) });
  await adminApi.dispose();

  // Phase 2: less than 14 days' notice needs a reason; 14 days does not.
  const today = localDateOf(Date.now());
  await pickDate(page, 'Enforcement date', localDateOf(Date.now() + 10 * DAY));
  await expect(page.getByText("Less than 14 days' notice")).toBeVisible();
  await expect(page.getByLabel('Reason for shorter notice')).toBeVisible();
  const enforcementDate = localDateOf(Date.now() + 14 * DAY);
  await pickDate(page, 'Enforcement date', enforcementDate);
  await expect(page.getByText('14 days of notice from today.')).toBeVisible();
  await expect(page.getByText("Less than 14 days' notice")).toHaveCount(0);
  await page.getByRole('button', { name: 'Record announcement' }).click();
  await expect(page.getByText('Announcement recorded')).toBeVisible();
  await expect(page.getByText(/14 days' notice · 14 days left/)).toBeVisible();

  // The message: refused while a placeholder is empty, then exported as a real .eml.
  await page.getByRole('button', { name: 'Copy message' }).click();
  await expect(page.getByText(/Copying refused: fill in \{\{guideLink\}\}/)).toBeVisible();
  await page.getByLabel('Setup guide link').fill('https://intranet.acme.test/2fa');
  await page.getByLabel('Support contact').fill('Zoë at help@acme.test');
  await expect(page.getByText('Not ready to send')).toHaveCount(0);
  await expect(page.getByLabel('Message preview')).toContainText(
    'Contact Zoë at help@acme.test if you need assistance',
  );
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download .eml' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(
    'two-factor-authentication-required-action-required.eml',
  );
  const eml = await simpleParser(fs.readFileSync(await download.path()));
  expect(eml.subject).toBe('Two-Factor Authentication Required - Action Required');
  expect(eml.text).toContain('Setup Guide: https://intranet.acme.test/2fa');

  // The template editor: the placeholders are explained; edits are saved (and audited).
  await page.getByRole('button', { name: 'Edit template' }).click();
  const editor = page.getByRole('dialog', { name: 'Edit message template' });
  await expect(
    editor.getByRole('listitem').filter({ hasText: '{{supportContact}}' }),
  ).toBeVisible();
  await expectAccessible(page, 'rollout: template editor');
  await screenshot(page, 'rollout-template-editor');
  await editor
    .getByLabel('Subject')
    .fill('Action required: two-factor authentication from {{date}}');
  await editor.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Template saved')).toBeVisible();
  await expect(page.getByLabel('Message preview')).toContainText(
    `Action required: two-factor authentication from ${new Date(`${enforcementDate}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })}`,
  );

  // Adoption and the dry run: the admin is enrolled, Mia and Noah are not.
  await expect(page.getByText('1 of 3')).toBeVisible();
  const notEnrolled = page.getByRole('region', { name: 'Users not enrolled' });
  await expect(notEnrolled.getByRole('link')).toHaveText(['Mia Member', 'Noah Member']);
  await expectAccessible(page, 'rollout: communicate');
  await screenshot(page, 'rollout-communicate-light');
  await useColorScheme(page, 'dark');
  await screenshot(page, 'rollout-communicate-dark');
  await useColorScheme(page, 'light');

  // Mia enrolls in between.
  const mia = await apiClient(server);
  await mia.call('auth.signIn', { email: 'mia@acme.test', password: 'member passphrase 1' });
  const miaSetup = await mia.call<{ secret: string }>('twoFactor.beginSetup');
  await mia.call('twoFactor.confirmSetup', { code: oathtool(miaSetup.secret) });
  await mia.dispose();
  await page.reload();
  await expect(page.getByText('2 of 3')).toBeVisible();
  await expect(notEnrolled.getByRole('link')).toHaveText(['Noah Member']);

  // Two weeks pass: the stored announcement is moved back 14 days, as time would have.
  execFileSync('sqlite3', [
    server.dbPath,
    `UPDATE rollout SET announced_at = announced_at - ${14 * DAY}, enforcement_date = '${today}'`,
  ]);
  await page.reload();
  const due = page.getByRole('dialog', { name: 'The enforcement date has come' });
  await expect(due).toBeVisible();
  await expect(
    due.getByRole('list', { name: 'Users who would be redirected to setup' }),
  ).toHaveText('Noah Member (noah@acme.test)');
  await expectAccessible(page, 'rollout: due');
  await screenshot(page, 'rollout-due');
  // Nothing happened by itself.
  await expect(page.getByText('Due today')).toBeVisible();
  await due.getByRole('button', { name: 'Review and require…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Require two-factor authentication' });
  const code = confirm.getByLabel(/^6-digit code/);
  // A proof is asked only once the sign-in's five-minute window has passed (a slow run).
  await expect(confirm.getByRole('button', { name: 'Require 2FA now' })).toBeVisible();
  if (await code.isVisible()) await code.fill(oathtool(adminSetup.secret, 1));
  await confirm.getByRole('button', { name: 'Require 2FA now' }).click();
  await expect(page.getByText('Two-factor authentication is now required')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Phase 3: Require' })).toBeVisible();
  await expect(
    page.getByText(/^Two-factor authentication is required\. Watch the audit trail/),
  ).toBeVisible();
  await expect(page.getByText('Due today')).toHaveCount(0);
  await screenshot(page, 'rollout-required');

  // Noah, not enrolled, is now sent to setup.
  const noah = await apiClient(server);
  const state = await noah.call<{ state: string }>('auth.signIn', {
    email: 'noah@acme.test',
    password: 'member passphrase 1',
  });
  expect(state.state).toBe('setup_required');
  await noah.dispose();
});
