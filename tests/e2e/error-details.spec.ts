import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  expect,
  expectAccessible,
  orgWithEnrolledAdmin,
  screenshot,
  signInWithCode,
  test,
} from './fixtures';

const admin = {
  org: 'Acme Corp',
  name: 'Ada Admin',
  email: 'ada@acme.test',
  password: 'correct horse battery staple',
};

test('forms show what main refused on its field, ask for a proof when main wants one, and lists filter in main', async ({
  page,
  server,
}) => {
  const { api, secret, backupCodes } = await orgWithEnrolledAdmin(server, admin);
  await api.dispose();
  await signInWithCode(page, server, admin.email, admin.password, secret);
  await page.getByRole('link', { name: 'Users' }).click();

  // A hidden character passes the form's own check; main refuses it, naming the field.
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a user' });
  await dialog.getByLabel(/^Email/).fill('mia\u200B@acme.test');
  await dialog.getByLabel(/^Name/).fill('Mia Member');
  // The sign-in's code still counts as a recent proof: none is asked for yet.
  await expect(dialog.getByLabel('Your authentication code')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(dialog.getByLabel(/^Email/)).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await screenshot(page, 'add-user-field-error');

  // The proof window closes behind the console's back: main asks for a proof, the form shows
  // the proof field (not an opaque error).
  const sqlite = new BetterSqlite3(server.dbPath);
  sqlite.prepare('UPDATE sessions SET reauthenticated_at = NULL').run();
  sqlite.close();
  await dialog.getByLabel(/^Email/).fill('mia@acme.test');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  const proof = dialog.getByLabel('Your authentication code');
  await expect(proof).toBeVisible();
  await expect(dialog.getByText('Confirm it is you: enter a current code')).toBeVisible();
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expectAccessible(page, 'add user, proof asked');
  await screenshot(page, 'add-user-proof-needed');
  await proof.fill(backupCodes[0]!);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(dialog.getByText('mia@acme.test was added')).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();

  // The list's filters are users.list's: a search for one of two users shows one of two.
  await expect(page.getByText('Showing 2 of 2 users')).toBeVisible();
  await page.getByLabel('Search').fill('MIA');
  await expect(page.getByText('Showing 1 of 2 users')).toBeVisible();
  await page.getByLabel('2FA status', { exact: true }).first().click();
  await page.getByRole('option', { name: 'Enrolled', exact: true }).click();
  await expect(page.getByText('Showing 0 of 2 users')).toBeVisible();
  await page.getByLabel('Search').fill('');
  await expect(page.getByText('Showing 1 of 2 users')).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Users' }).locator('tbody tr:not([aria-hidden])'),
  ).toContainText(['ada@acme.test']);
  await screenshot(page, 'users-filtered-enrolled');
  await page.getByLabel('2FA status', { exact: true }).first().click();
  await page.getByRole('option', { name: 'Not enrolled' }).click();

  // An import refused line by line lists the lines; nothing was imported.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-users-')), 'users.csv');
  fs.writeFileSync(
    file,
    'email,name,role\nsam@acme.test,Sam Second,site_admin\nmia@acme.test,Mia Again,member\n',
  );
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const importing = page.getByRole('dialog', { name: 'Import users from CSV' });
  await page.locator('input[type="file"]').setInputFiles(file);
  await importing.getByRole('button', { name: 'Import', exact: true }).click();
  const refusal = importing.getByRole('alert');
  await expect(refusal).toContainText('Nothing was imported');
  await expect(refusal).toContainText('line 3: email "mia@acme.test" already has an account');
  await expectAccessible(page, 'users import refused');
  await screenshot(page, 'import-users-refused');
});
