import {
  expect,
  expectAccessible,
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

test('first run: create the org, sign in, land on home, sign out', async ({ page, server }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  // The launch token is traded for a cookie and leaves the address bar.
  await expect(page).toHaveURL(`${server.origin}/#/first-run`);
  await expect(page.getByRole('heading', { name: 'Set up your organization' })).toBeVisible();
  await expectAccessible(page, 'first run');
  await screenshot(page, 'first-run-light');

  // The contract's rules show up as field errors before anything is sent.
  await page.getByLabel('Organization name').fill(admin.org);
  await page.getByLabel('Your name').fill(admin.name);
  await page.getByLabel('Your email').fill('not an email');
  await page.getByLabel(/^Password/).fill('short');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByText('Enter a valid email address')).toBeVisible();
  await expect(page.getByText('Password must be at least 12 characters')).toBeVisible();
  await expectAccessible(page, 'first run with errors');

  await page.getByLabel('Your email').fill(admin.email);
  await page.getByLabel(/^Password/).fill(admin.password);
  await page.getByRole('button', { name: 'Create organization' }).click();

  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('to Acme Corp')).toBeVisible();
  await expect(page.getByLabel(/^Email/)).toHaveValue(admin.email);
  await expectAccessible(page, 'sign in');
  await screenshot(page, 'sign-in-light');

  await page.getByLabel(/^Password/).fill('wrong password!!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Email or password is incorrect.');

  await page.getByLabel(/^Password/).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: `Welcome, ${admin.name}` })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Acme Corp');
  await expectAccessible(page, 'home (light)');
  await screenshot(page, 'home-light');

  await useColorScheme(page, 'dark');
  await expectAccessible(page, 'home (dark)');
  await screenshot(page, 'home-dark');

  // The session survives a reload: it lives in an HttpOnly cookie, not in page memory.
  await page.reload();
  await expect(page.getByRole('heading', { name: `Welcome, ${admin.name}` })).toBeVisible();
  expect(await page.evaluate(() => document.cookie)).toBe('');

  await page.getByRole('button', { name: `Account menu for ${admin.name}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.goto(`${server.origin}/#/`);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('an organization made with org2fa init goes straight to sign-in', async ({ page, server }) => {
  const init = await server.org2fa(
    [
      'init',
      '--db',
      server.dbPath,
      '--org',
      'Initech',
      '--admin-email',
      'bill@initech.test',
      '--password-stdin',
    ],
    'tps reports are due\n',
  );
  expect(init.code).toBe(0);
  await page.goto(server.url);
  await expect(page).toHaveURL(`${server.origin}/#/sign-in`);
  await expect(page.getByText('to Initech')).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page, 'sign in (dark)');
  await screenshot(page, 'sign-in-dark');
  await signInThroughForm(page, 'bill@initech.test', 'tps reports are due');
  await expect(page.getByRole('heading', { name: 'Welcome, bill' })).toBeVisible();
});

test('without the launch token the browser gets nothing but an explanation', async ({
  page,
  server,
}) => {
  const response = await page.goto(`${server.origin}/`);
  expect(response?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('Missing or invalid launch token');
});
