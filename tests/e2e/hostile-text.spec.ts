import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { systemClock } from '../../src/main/clock';
import { createAuditService } from '../../src/main/audit/audit.service';
import { canonicalJson } from '../../src/main/audit/audit-chain';
import { openDatabase } from '../../src/main/store/database';
import { writeTransaction } from '../../src/main/store/transaction';
import {
  apiClient,
  expect,
  expectAccessible,
  initOrg,
  screenshot,
  signInThroughForm,
  test,
  useColorScheme,
  type ConsoleServer,
} from './fixtures';

const admin = {
  org: 'Acme Corp',
  name: 'Ada Admin',
  email: 'ada@acme.test',
  password: 'correct horse battery staple',
};

const FAILED = 'com.alaigned.auth.2fa.verify.failed';
/** Issue 13: displayed as "admin Admin" before the console showed what it holds. */
const SPOOFED_NAME = '\u202Enimda\u202C Admin\u200B';
const SPOOFED_NAME_SHOWN = '⟨U+202E⟩nimda⟨U+202C⟩ Admin⟨U+200B⟩';
/** Issue 13: displayed as admin@acme.test. */
const SPOOFED_ID = 'admin\u200B@acme.test';
const SPOOFED_ID_SHOWN = 'admin⟨U+200B⟩@acme.test';
const AGENT = 'Mozilla/5.0 \u202Eexe.cod\u202C (X11; Linux x86_64)';
const AGENT_SHOWN = 'Mozilla/5.0 ⟨U+202E⟩exe.cod⟨U+202C⟩ (X11; Linux x86_64)';
/** Issue 13: stretched the user page to 7,751 px. */
const LONG_NAME = 'W'.repeat(200);
/** What must never reach the screen uninterpreted: bidi controls, zero-width, line breaks. */
const RAW_HIDDEN = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u2028\u2029\u00AD\uFEFF\r]/;

/**
 * Writes past the router, as an older database (from before names were checked) holds it: a
 * user's name with U+202E, the admin's own with U+200B, and failed verifications of a user id
 * with U+200B, chained like any imported event.
 */
async function asAnOlderDatabaseHoldsIt(server: ConsoleServer) {
  const opened = await openDatabase(server.dbPath);
  try {
    const audit = createAuditService({ clock: systemClock });
    await writeTransaction(opened.db, async (trx) => {
      await trx
        .updateTable('users')
        .set({ name: SPOOFED_NAME })
        .where('email', '=', 'spoof@acme.test')
        .execute();
      await trx
        .updateTable('users')
        .set({ name: `${admin.name}\u200B` })
        .where('email', '=', admin.email)
        .execute();
      const start = Date.now() - 60 * 60_000;
      await audit.appendHistorical(
        trx,
        Array.from({ length: 6 }, (_, i) => ({
          type: FAILED,
          ts: start + i * 60_000,
          userId: SPOOFED_ID,
          email: SPOOFED_ID,
          ip: '203.0.113.66',
          userAgent: AGENT,
          method: 'totp' as const,
          details: canonicalJson({ reason: 'wrong_code', note: `try\u2028${i}` }),
          source: 'old-import.jsonl (imported 2026-01-01T00:00:00.000Z)',
        })),
      );
    });
  } finally {
    await opened.close();
  }
}

/** What a person sees: the page's rendered text holds the written-out form, never the raw one. */
async function expectShownNotInterpreted(page: Page, ...shown: string[]) {
  const text = await page.locator('body').innerText();
  for (const expected of shown) expect(text).toContain(expected);
  expect(text).not.toMatch(RAW_HIDDEN);
}

async function expectNoWiderThanTheWindow(page: Page, label: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, label).toBeLessThanOrEqual(innerWidth);
}

test('hostile names, user ids and user agents are shown as they are, and long ones keep the page in the window', async ({
  page,
  server,
}) => {
  test.setTimeout(240_000);
  await initOrg(server, admin);
  const api = await apiClient(server);
  await api.call('auth.signIn', { email: admin.email, password: admin.password });
  await api.call('users.add', { email: 'spoof@acme.test', name: 'Placeholder', role: 'member' });
  // A 200-character name with no break is a valid name: it must still fit the page.
  const long = await api.call<{ id: string }>('users.add', {
    email: 'long@acme.test',
    name: LONG_NAME,
    role: 'member',
  });
  await api.dispose();

  // User agents and details from other systems are imported as they were sent.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-hostile-'));
  const file = path.join(dir, 'web-app.jsonl');
  fs.writeFileSync(
    file,
    `${JSON.stringify({
      type: FAILED,
      timestamp: new Date(Date.now() - 30 * 60_000).toISOString(),
      userId: 'u-1042',
      email: 'mia@acme.test',
      ip: '198.51.100.7',
      userAgent: AGENT,
      method: 'totp',
      details: { reason: 'wrong_code', via: 'zero\u200Bwidth' },
    })}\n`,
  );
  const imported = await server.org2fa(['import', '--db', server.dbPath, file]);
  expect(imported.code, imported.stderr).toBe(0);
  fs.rmSync(dir, { recursive: true, force: true });
  await asAnOlderDatabaseHoldsIt(server);

  await page.goto(server.url);
  await signInThroughForm(page, admin.email, admin.password);
  await expect(page.getByRole('heading', { name: /^Welcome,/ })).toBeVisible();
  // The header's account menu and the welcome: the admin's own name, written out.
  await expectShownNotInterpreted(page, 'Welcome, Ada Admin⟨U+200B⟩');
  await expect(
    page.getByRole('button', { name: 'Account menu for Ada Admin⟨U+200B⟩' }),
  ).toBeVisible();

  // Users table: the spoofed name reads as what it holds; the long one ends in … within its cell.
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  const table = page.getByRole('region', { name: 'Users' });
  await expect(table.getByRole('link', { name: SPOOFED_NAME_SHOWN })).toBeVisible();
  await expectShownNotInterpreted(page, SPOOFED_NAME_SHOWN);
  const longLink = table.getByRole('link', { name: LONG_NAME });
  await expect(longLink.locator('bdi')).toHaveAttribute('title', LONG_NAME);
  expect((await longLink.boundingBox())!.width).toBeLessThanOrEqual(230);
  await expectNoWiderThanTheWindow(page, 'users page');
  await expectAccessible(page, 'users with hostile names');
  await screenshot(page, 'hostile-users-light');
  await useColorScheme(page, 'dark');
  await screenshot(page, 'hostile-users-dark');
  await useColorScheme(page, 'light');

  // The user's page: heading and confirmations show the name as it is.
  await table.getByRole('link', { name: SPOOFED_NAME_SHOWN }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SPOOFED_NAME_SHOWN);
  await expectShownNotInterpreted(page, SPOOFED_NAME_SHOWN);
  await page.getByRole('button', { name: 'Deactivate account' }).click();
  await expect(
    page.getByRole('dialog', { name: `Deactivate ${SPOOFED_NAME_SHOWN}?` }),
  ).toBeVisible();
  await expectShownNotInterpreted(page, `Deactivate ${SPOOFED_NAME_SHOWN}?`);
  await expectAccessible(page, 'confirmation naming a hostile name');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expectAccessible(page, 'user page of a hostile name');
  await screenshot(page, 'hostile-user-page-light');
  await useColorScheme(page, 'dark');
  await screenshot(page, 'hostile-user-page-dark');
  await useColorScheme(page, 'light');

  // A 200-character unbroken name wraps inside the page instead of stretching it.
  await page.goto(`${server.origin}/#/users/${long.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(LONG_NAME);
  await expectNoWiderThanTheWindow(page, 'user page of a 200-character name');
  await screenshot(page, 'long-name-user-page-light');

  // Audit: the events table, the finding about the spoofed id, its filter chip and the drawer.
  await page.getByRole('link', { name: 'Audit' }).click();
  const findings = page.getByRole('list', { name: 'Findings' }).getByRole('listitem');
  const finding = findings.filter({ hasText: `failed attempts in a row for ${SPOOFED_ID_SHOWN}` });
  await expect(finding).toHaveCount(1);
  const events = page.getByRole('region', { name: 'Audit events' });
  await expect(events.getByText(SPOOFED_ID_SHOWN).first()).toBeVisible();
  await expectShownNotInterpreted(page, SPOOFED_ID_SHOWN, 'via: zero⟨U+200B⟩width');
  await expectNoWiderThanTheWindow(page, 'audit page');
  await expectAccessible(page, 'audit page with hostile values');
  await screenshot(page, 'hostile-audit-light');

  await finding.getByRole('button', { name: 'Show events' }).click();
  await expect(page.getByText('User admin⟨U+200B⟩@a… ✕')).toBeVisible();
  await expect(page.getByText('6 events', { exact: true })).toBeVisible();
  await events
    .getByRole('button', { name: /^Open event / })
    .first()
    .click();
  const drawer = page.getByRole('dialog', { name: 'Audit event' });
  await expect(drawer.getByRole('row', { name: /^User ID/ })).toHaveText(
    `User ID${SPOOFED_ID_SHOWN}`,
  );
  await expect(drawer.getByRole('row', { name: /^User agent/ })).toHaveText(
    `User agent${AGENT_SHOWN}`,
  );
  await expect(drawer).toContainText('"note": "try⟨U+2028⟩');
  await expectShownNotInterpreted(page, AGENT_SHOWN);
  await expectAccessible(page, 'event drawer with hostile values');
  await screenshot(page, 'hostile-event-drawer-light');
  // The theme toggle sits under the open drawer: close it, switch, open it again.
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await useColorScheme(page, 'dark');
  await screenshot(page, 'hostile-audit-dark');
  await events
    .getByRole('button', { name: /^Open event / })
    .first()
    .click();
  await expect(drawer.getByRole('row', { name: /^User agent/ })).toHaveText(
    `User agent${AGENT_SHOWN}`,
  );
  await expectAccessible(page, 'event drawer with hostile values, dark');
  await screenshot(page, 'hostile-event-drawer-dark');
});

test('the account page, the summary report and the rollout lists show hostile names as they are', async ({
  page,
  server,
}) => {
  test.setTimeout(240_000);
  await initOrg(server, admin);
  const api = await apiClient(server);
  await api.call('auth.signIn', { email: admin.email, password: admin.password });
  await api.call('users.add', { email: 'spoof@acme.test', name: 'Placeholder', role: 'member' });
  await api.call('org.updateSettings', { enabled: true, required: false });
  await api.dispose();
  await asAnOlderDatabaseHoldsIt(server);

  await page.goto(server.url);
  await signInThroughForm(page, admin.email, admin.password);
  await expect(page.getByRole('heading', { name: /^Welcome,/ })).toBeVisible();

  await page.getByRole('link', { name: 'Account settings' }).click();
  await expect(page.getByRole('heading', { name: 'Account settings' })).toBeVisible();
  await expectShownNotInterpreted(page, 'Ada Admin⟨U+200B⟩ · ada@acme.test');

  await page.getByRole('link', { name: 'Rollout' }).click();
  const notEnrolled = page.getByRole('region', { name: 'Users not enrolled' });
  await expect(notEnrolled.getByRole('link', { name: SPOOFED_NAME_SHOWN })).toBeVisible();
  await expectShownNotInterpreted(page, SPOOFED_NAME_SHOWN);
  await expectNoWiderThanTheWindow(page, 'rollout page');
  await screenshot(page, 'hostile-rollout-light');

  await page.goto(`${server.origin}/#/audit/report`);
  await expect(
    page.getByRole('heading', { name: 'Two-factor authentication audit summary' }),
  ).toBeVisible();
  await expect(page.getByText(`6 failed attempts in a row for ${SPOOFED_ID_SHOWN}`)).toBeVisible();
  await expect(page.getByRole('cell', { name: SPOOFED_ID_SHOWN, exact: true })).toBeVisible();
  await expectShownNotInterpreted(page, SPOOFED_ID_SHOWN);
  await expectNoWiderThanTheWindow(page, 'summary report');
  await screenshot(page, 'hostile-report-light');
});
