import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Finding } from '../../src/shared/contract';
import {
  expect,
  expectAccessible,
  oathtool,
  orgWithEnrolledAdmin,
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

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** The demo history's German home networks and the planted attack's exits (all in DE). */
const GERMAN_PREFIXES = ['85.214.132.', '79.200.14.', '87.150.201.', '91.64.87.', '185.220.101.'];

/** For people to look at: screenshots/ in the worktree (not committed). */
const screenshotPath = (name: string) =>
  path.join(__dirname, '..', '..', 'screenshots', `${name}.png`);

async function shoot(page: Page, name: string, width: number) {
  await page.setViewportSize({ width, height: 900 });
  await expect(page.getByTestId('country-map').locator('path[data-country]').first()).toBeVisible();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshotPath(`${name}-${width}`), fullPage: true });
}

test('findings explain themselves and offer their remedies; the map filters the events by country, in both themes', async ({
  page,
  server,
}) => {
  test.setTimeout(180_000);
  const { api, secret } = await orgWithEnrolledAdmin(server, admin);
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
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString();
  const { findings } = await api.call<{ findings: Finding[] }>('audit.patterns', { since });
  expect(findings.length).toBeGreaterThan(2);

  await page.emulateMedia({ colorScheme: 'light' });
  // The sign-in spends the next step's code; a fresh proof later needs the one after.
  const signInStep = Math.floor(Date.now() / 30_000);
  await signInWithCode(page, server, admin.email, admin.password, secret);
  await page.getByRole('link', { name: 'Audit' }).click();
  await page.getByLabel('Time range').first().click();
  await page.getByRole('option', { name: 'Last 90 days' }).click();

  // Every finding, grouped high → medium → low, says why and what to do.
  const panel = page.getByRole('region', { name: 'Findings' });
  const cards = panel.getByRole('listitem');
  await expect(cards).toHaveCount(findings.length);
  for (const finding of findings) {
    await expect(panel.getByText(finding.why, { exact: true }).first()).toBeVisible();
    await expect(panel.getByText(finding.action, { exact: true }).first()).toBeVisible();
  }
  const order = ['High', 'Medium', 'Low'];
  const headings = (await panel.getByRole('heading', { level: 3 }).allTextContents()).map(
    (text) => text.split(' ')[0]!,
  );
  expect(headings).toEqual(order.filter((level) => headings.includes(level)));
  expect(headings[0]).toBe('High');
  // The spray's country (as the bundled geo data places its exits) by name and code, never a flag.
  const sprayFinding = findings.find((f) => f.ips.some((ip) => ip.startsWith('91.243.85.')))!;
  const sprayCountry = sprayFinding.countries[0]!;
  const sprayLabel = `${regionNames.of(sprayCountry)} (${sprayCountry})`;
  const spray = cards.filter({ hasText: /91\.243\.85\.\d+/ }).first();
  await expect(spray).toContainText(sprayLabel);
  await expect(spray.getByRole('button', { name: 'Trust network' })).toBeVisible();

  // The map: Germany coloured and named with its counts; the legend says what colours count.
  const map = page.getByRole('group', { name: 'World map of failed verifications by country' });
  const germany = map.locator('[data-country="DE"]');
  await expect(germany).toHaveAttribute(
    'aria-label',
    /^Germany \(DE\): [\d,]+ failed, [\d,]+ successful verifications\. Show its events\.$/,
  );
  await expect(page.getByText('Failed verifications per country', { exact: true })).toBeVisible();
  await expectAccessible(page, 'audit page with findings and map, light');
  await shoot(page, 'audit-light', 1440);
  await shoot(page, 'audit-light', 1024);

  await useColorScheme(page, 'dark');
  await expectAccessible(page, 'audit page with findings and map, dark');
  await shoot(page, 'audit-dark', 1440);
  await shoot(page, 'audit-dark', 1024);

  // Trusting the spray's autonomous system (as if it were the org's VPN) silences what its
  // location said (new country, network, system: told in the spray finding's why); the spray
  // itself stays. Within five minutes of the sign-in: no code asked.
  const sprayAsn = sprayFinding.asns[0]!;
  const sprayNow = () =>
    api
      .call<{ findings: Finding[] }>('audit.patterns', { since })
      .then((r) => r.findings.filter((f) => f.ips.some((ip) => ip.startsWith('91.243.85.'))));
  const sprayBefore = await sprayNow();
  expect(sprayBefore.map((f) => f.kind)).toEqual([sprayFinding.kind]);
  expect(sprayBefore[0]!.why).toMatch(/Also: .*new to each of them/);
  await spray.getByRole('button', { name: 'Trust network' }).click();
  const trustChoice = page.getByRole('menuitem', { name: new RegExp(`AS${sprayAsn}`) });
  if (await trustChoice.isVisible().catch(() => false)) await trustChoice.click();
  const trustDialog = page.getByRole('dialog', { name: `Trust AS${sprayAsn}?` });
  await trustDialog.getByLabel('Label').fill('Test VPN exit');
  await expectAccessible(page, 'trust a network from a finding, dark');
  await trustDialog.getByRole('button', { name: 'Trust' }).click();
  await expect(page.getByText(`AS${sprayAsn} is trusted`)).toBeVisible();
  const sprayAfter = await sprayNow();
  expect(sprayAfter.map((f) => f.kind)).toEqual([sprayFinding.kind]);
  expect(sprayAfter[0]!.why).not.toContain('Also:');
  await expect(cards.filter({ hasText: /91\.243\.85\.\d+/ })).toHaveCount(1);

  // The thresholds list it among the trusted networks, with its label.
  await page.getByRole('button', { name: 'Thresholds' }).click();
  const thresholds = page.getByRole('dialog', { name: 'Pattern thresholds' });
  await expect(thresholds.getByLabel('Network 1', { exact: true })).toHaveValue(`AS${sprayAsn}`);
  await expect(thresholds.getByLabel('What network 1 is', { exact: true })).toHaveValue(
    'Test VPN exit',
  );
  await expectAccessible(page, 'thresholds and trusted networks, dark');
  await page.screenshot({ path: screenshotPath('thresholds-dark-1024') });
  await thresholds.getByRole('button', { name: 'Close dialog' }).click();
  await expect(thresholds).toBeHidden();

  // About credits the location data, with its licence and date, in both themes.
  for (const scheme of ['dark', 'light'] as const) {
    await useColorScheme(page, scheme);
    await page.getByRole('button', { name: /^Account menu for / }).click();
    await page.getByRole('menuitem', { name: 'About' }).click();
    const about = page.getByRole('dialog', { name: 'About Org 2FA Console' });
    await expect(about).toContainText('IP Geolocation by DB-IP');
    await expect(about).toContainText('CC BY 4.0');
    await expectAccessible(page, `about, ${scheme}`);
    await page.screenshot({ path: screenshotPath(`about-${scheme}-1024`) });
    await about.getByRole('button', { name: 'Close dialog' }).click();
    await expect(about).toBeHidden();
  }
  await useColorScheme(page, 'dark');

  // A click on Germany lists exactly the events from German addresses.
  await page.setViewportSize({ width: 1366, height: 860 });
  await germany.click();
  await expect(page).toHaveURL(/country=DE/);
  await expect(page.getByText('Country: Germany (DE)')).toBeVisible();
  const rows = page
    .getByRole('region', { name: 'Audit events' })
    .locator('tbody tr:not([aria-hidden])');
  await expect(rows.first()).toBeVisible();
  const addresses = await rows.evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
  expect(addresses.length).toBeGreaterThan(5);
  for (const text of addresses)
    expect(
      GERMAN_PREFIXES.some((prefix) => text.includes(prefix)),
      text,
    ).toBe(true);
  await expect(germany).toHaveAttribute('aria-pressed', 'true');

  // Back in the light theme, the ranked list filters too, and the chip clears it.
  await useColorScheme(page, 'light');
  await page
    .getByRole('list', { name: 'Countries with the most failed verifications' })
    .getByRole('button', { name: new RegExp(`^${sprayLabel.replace(/[()]/g, '\\$&')}`) })
    .click();
  await expect(page).toHaveURL(new RegExp(`country=${sprayCountry}`));
  await expect(rows.first()).toContainText('91.243.85.');
  await page.getByText(`Country: ${sprayLabel}`).click();
  await expect(page).not.toHaveURL(/country=/);

  // A finding's "Show events" still opens exactly its events.
  const bruteForce = cards.filter({ hasText: 'Many failures for one user' });
  await bruteForce.getByRole('button', { name: 'Show events' }).click();
  await expect(page.getByText('14 events', { exact: true })).toBeVisible();

  // Reset 2FA for the finding's one user, with a fresh code.
  const victim = findings.find((f) => f.kind === 'user_failures')!.users[0]!;
  await bruteForce.getByRole('button', { name: 'Reset 2FA' }).click();
  const dialog = page.getByRole('dialog', { name: /^Reset two-factor authentication for / });
  await expect(dialog).toContainText('authenticator secret and all backup codes are deleted');
  await expectAccessible(page, 'reset 2FA from a finding');
  while (Math.floor(Date.now() / 30_000) <= signInStep) await page.waitForTimeout(500);
  await dialog.getByLabel(/^Your authentication code/).fill(oathtool(secret, 1));
  await dialog.getByRole('button', { name: 'Reset' }).click();
  await expect(page.getByText(/^Two-factor authentication reset for/)).toBeVisible();
  const after = await api.call<{
    users: Array<{ email: string; twoFactor: { enrolled: boolean } }>;
  }>('users.list', { search: victim });
  expect(after.users.find((u) => u.email === victim)?.twoFactor.enrolled).toBe(false);
  await api.dispose();
});
