import {
  apiClient,
  expect,
  expectAccessible,
  initOrg,
  oathtool,
  orgWithEnrolledAdmin,
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
const SETUP_MESSAGE =
  'Your organization requires two-factor authentication. Please set it up to continue.';

test('an admin enables 2FA, enrolls from the manual key with oathtool, and signs back in with a code', async ({
  page,
  server,
}) => {
  await initOrg(server, admin);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await signInThroughForm(page, admin.email, admin.password);

  // Company Profile → Settings → Security: turn 2FA on.
  await page.getByRole('link', { name: 'Settings · Security' }).click();
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
  await page
    .getByRole('switch', { name: /Enable two-factor authentication/ })
    .check({ force: true });
  await expectAccessible(page, 'security settings');
  await screenshot(page, 'security-settings-light');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Security settings saved')).toBeVisible();

  // Account settings → set up.
  await page.getByRole('navigation').getByRole('link', { name: 'Account settings' }).click();
  await expect(page.getByText('Protect your account with a code')).toBeVisible();
  await expectAccessible(page, 'account (2FA off)');
  await page.getByRole('link', { name: 'Set up two-factor authentication' }).click();
  await expect(
    page.getByRole('heading', { name: 'Set up two-factor authentication' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'I have an app: show the QR code' }).click();
  await expect(page.getByRole('img', { name: /QR code to add ada@acme.test/ })).toBeVisible();
  const manualKey = (await page.getByTestId('manual-key').innerText()).trim();
  expect(manualKey).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  await expectAccessible(page, 'setup: scan');
  await screenshot(page, 'setup-scan-light');

  await page.getByLabel(/^Code from your app/).fill('000000');
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(
    page.getByText(
      'That code is not correct. Enter the 6-digit code your authenticator app shows for this account now.',
    ),
  ).toBeVisible();
  await page.getByLabel(/^Code from your app/).fill(oathtool(manualKey));
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();

  const codes = page.getByRole('list', { name: 'Backup codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const firstBackupCode = (await codes.first().innerText()).trim();
  expect(firstBackupCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download .txt' }).click();
  expect((await download).suggestedFilename()).toBe('org2fa-backup-codes-ada@acme.test.txt');
  await expectAccessible(page, 'setup: backup codes');
  await screenshot(page, 'setup-backup-codes-light');
  const continueButton = page.getByRole('button', { name: 'Continue to the console' });
  await expect(continueButton).toBeDisabled();
  await page.getByLabel('I saved my backup codes in a safe place').check();
  await continueButton.click();
  await expect(page.getByRole('heading', { name: 'Welcome, Ada Admin' })).toBeVisible();

  await page.getByRole('navigation').getByRole('link', { name: 'Account settings' }).click();
  await expect(page.getByText('10 of 10 backup codes left')).toBeVisible();
  await useColorScheme(page, 'dark');
  await expectAccessible(page, 'account (2FA on, dark)');
  await screenshot(page, 'account-dark');
  await useColorScheme(page, 'light');

  // Sign out and back in: the password is not enough any more.
  await page.getByRole('button', { name: 'Account menu for Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await signInThroughForm(page, admin.email, admin.password);
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
  await expect(page).toHaveURL(/#\/verify$/);
  await expectAccessible(page, 'verify');
  await screenshot(page, 'verify-light');
  // The code the setup used is spent; the next step's code (inside the ±1 window) is not.
  await page.getByLabel(/^6-digit code/).fill(oathtool(manualKey, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Ada Admin' })).toBeVisible();

  // And once more with a backup code through the switch.
  await page.getByRole('button', { name: 'Account menu for Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await signInThroughForm(page, admin.email, admin.password);
  await page.getByLabel('Use a backup code instead').check({ force: true });
  await page.getByLabel(/^Backup code/).fill(firstBackupCode);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Ada Admin' })).toBeVisible();
});

test('a wrong code, a reused code and a lockout each explain themselves', async ({
  page,
  server,
}) => {
  const { enrollmentCode } = await orgWithEnrolledAdmin(server, admin);
  await page.goto(server.url);
  await signInThroughForm(page, admin.email, admin.password);
  const code = page.getByLabel(/^6-digit code/);
  const verify = page.getByRole('button', { name: 'Verify' });

  // Spent by the enrollment a moment ago (even if the clock has moved on a step since).
  await code.fill(enrollmentCode);
  await verify.click();
  await expect(page.getByRole('alert')).toContainText('That code was already used');
  for (let i = 0; i < 3; i++) {
    await code.fill('000000');
    await verify.click();
    await expect(page.getByRole('alert')).toContainText('That code is not correct');
  }
  await code.fill('000000');
  await verify.click();
  await expect(page.getByRole('alert')).toContainText('Too many failed attempts');
  await expect(page.getByRole('alert')).toContainText(/wait (\d+ min )?\d+ s/);
  await expectAccessible(page, 'verify: locked');
  await screenshot(page, 'verify-locked-light');
});

test('a member under a requirement lands on setup and can reach nothing else', async ({
  page,
  server,
}) => {
  const { api } = await orgWithEnrolledAdmin(server, admin);
  const added = await server.org2fa(
    [
      'users',
      'add',
      '--db',
      server.dbPath,
      '--email',
      'mia@acme.test',
      '--name',
      'Mia Member',
      '--role',
      'member',
      '--password-stdin',
    ],
    'member password 1\n',
  );
  expect(added.code, added.stderr).toBe(0);
  await api.call('org.updateSettings', { enabled: true, required: true });
  await api.dispose();

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(server.url);
  await signInThroughForm(page, 'mia@acme.test', 'member password 1');
  await expect(page).toHaveURL(/#\/setup$/);
  await expect(page.getByText(SETUP_MESSAGE, { exact: true })).toBeVisible();
  await expectAccessible(page, 'setup required (dark)');
  await screenshot(page, 'setup-required-dark');

  // Only setup and account settings in the navigation, and no other page opens.
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link')).toHaveText(['Two-factor setup', 'Account settings']);
  for (const path of ['#/', '#/settings/security', '#/anything']) {
    await page.goto(`${server.origin}/${path}`);
    await expect(page).toHaveURL(/#\/setup$/);
  }
  await page.goto(`${server.origin}/#/account`);
  await expect(page.getByRole('heading', { name: 'Account settings' })).toBeVisible();

  // Nor does any call, from the page's own origin with its own cookies.
  const refused = await page.evaluate(async () => {
    const response = await fetch('/api/org.getSettings', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    return { status: response.status, body: await response.json() };
  });
  expect(refused).toEqual({
    status: 403,
    body: { ok: false, error: { code: 'TWO_FACTOR_SETUP_REQUIRED', message: SETUP_MESSAGE } },
  });

  // Setting it up opens the console.
  await page.getByRole('link', { name: 'Two-factor setup' }).click();
  await page.getByRole('button', { name: 'I have an app: show the QR code' }).click();
  const key = (await page.getByTestId('manual-key').innerText()).trim();
  await page.getByLabel(/^Code from your app/).fill(oathtool(key));
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await page.getByLabel('I saved my backup codes in a safe place').check();
  await page.getByRole('button', { name: 'Continue to the console' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Mia Member' })).toBeVisible();
  await expect(nav.getByRole('link')).toHaveText(['Home', 'Account settings']);
  const apiForMember = await apiClient(server);
  await apiForMember.dispose();
});
