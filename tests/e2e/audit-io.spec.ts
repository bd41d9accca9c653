import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
const FAILED = 'com.alaigned.auth.2fa.verify.failed';

function webAppExport(n: number, bad: number[] = []): string {
  return (
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        type: i % 3 ? FAILED : 'com.alaigned.auth.2fa.verify.success',
        timestamp: bad.includes(i + 1)
          ? 'yesterday at noon'
          : new Date(Date.now() - (n - i) * 60_000).toISOString(),
        userId: `web-${i % 9}`,
        email: `web${i % 9}@acme.test`,
        ip: `192.0.2.${i % 200}`,
        userAgent: 'Mozilla/5.0 (from the web app)',
        method: 'totp',
        details: { reason: 'wrong_code', n: i },
      }),
    ).join('\n') + '\n'
  );
}

test('import the web app’s export, export a report file, verify the chain, print the summary', async ({
  page,
  server,
}) => {
  test.setTimeout(120_000);
  const { api, secret } = await orgWithEnrolledAdmin(server, admin);
  await api.dispose();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-e2e-io-'));
  const file = path.join(dir, 'web-app-audit.jsonl');
  fs.writeFileSync(file, webAppExport(200, [57]));

  await page.emulateMedia({ colorScheme: 'light' });
  await signInWithCode(page, server, admin.email, admin.password, secret);
  await page.getByRole('link', { name: 'Audit' }).click();

  // A bad line refuses the whole file, naming the line.
  await page.getByRole('button', { name: 'Import events' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import audit events' });
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(dialog.getByText('web-app-audit.jsonl')).toBeVisible();
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(
    dialog.getByText(
      'web-app-audit.jsonl:57: timestamp "yesterday at noon" is not ISO 8601 or epoch ms',
    ),
  ).toBeVisible();
  await expectAccessible(page, 'import refused');
  await screenshot(page, 'import-refused-light');

  // Skipping invalid lines imports the rest.
  await dialog.getByLabel(/Skip invalid lines/).check();
  await page.getByTestId('import-file').setInputFiles(file);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(dialog.getByText('Imported 199 events from web-app-audit.jsonl')).toBeVisible();
  // The skipped line, with its reason, is offered as a file (it used to stay on the server).
  const rejectedLink = dialog.getByRole('link', { name: 'Download rejected lines' });
  await expect(rejectedLink).toBeVisible();
  await expect(
    dialog.getByText(/The link works once, in this session, for an hour\./),
  ).toBeVisible();
  await expectAccessible(page, 'import done, rejected lines offered');
  await screenshot(page, 'import-done-light');
  const rejectedDownload = page.waitForEvent('download');
  await rejectedLink.click();
  expect((await rejectedDownload).suggestedFilename()).toBe('web-app-audit.jsonl.rejected.jsonl');
  const rejected = fs
    .readFileSync((await (await rejectedDownload).path())!, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { line: number; error: string });
  expect(rejected).toEqual([
    expect.objectContaining({
      line: 57,
      error: 'timestamp "yesterday at noon" is not ISO 8601 or epoch ms',
    }),
  ]);
  await dialog.getByRole('button', { name: 'Done' }).click();

  // Export the failed attempts as CSV.
  await page.getByRole('button', { name: 'Failed 2FA attempts' }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const exportDialog = page.getByRole('dialog', { name: 'Export audit events' });
  await exportDialog.getByRole('button', { name: 'Export', exact: true }).click();
  const link = exportDialog.getByRole('link', { name: /^Download org2fa-audit-.*\.csv$/ });
  await expect(link).toBeVisible();
  await expect(exportDialog.getByText(/^Exported \d+ events$/)).toBeVisible();
  await expectAccessible(page, 'export done');
  await screenshot(page, 'export-done-light');
  const download = page.waitForEvent('download');
  await link.click();
  const csv = fs
    .readFileSync((await (await download).path())!, 'utf8')
    .trim()
    .split('\r\n');
  expect(csv[0]).toBe('type,timestamp,userId,email,ip,userAgent,method,details');
  expect(csv.slice(1).every((line) => line.startsWith(FAILED))).toBe(true);
  expect(csv.length - 1).toBe(132);
  await exportDialog.getByRole('button', { name: 'Done' }).click();

  // Verify the chain from the page.
  await page.getByRole('button', { name: 'Verify chain' }).click();
  const verify = page.getByRole('dialog', { name: 'Verify the audit trail' });
  await verify.getByRole('button', { name: 'Verify' }).click();
  await expect(verify.getByText('The audit trail is intact')).toBeVisible();
  await verify.getByRole('button', { name: 'Close', exact: true }).click();

  // The summary report renders, and prints to a PDF that renders too.
  await page.getByRole('link', { name: 'Summary report' }).click();
  await expect(
    page.getByRole('heading', { name: 'Two-factor authentication audit summary' }),
  ).toBeVisible();
  await expect(page.getByRole('cell', { name: FAILED })).toBeVisible();
  await expect(
    page.getByTestId('timeline-chart').locator('.recharts-bar-rectangle').first(),
  ).toBeVisible();
  await expectAccessible(page, 'summary report');
  await screenshot(page, 'report-light');
  await page.emulateMedia({ media: 'print' });
  const pdf = path.join(dir, 'report.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, path.join(dir, 'page')]);
  const png = fs.readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'))!;
  expect(fs.statSync(path.join(dir, png)).size).toBeGreaterThan(10_000);
  fs.copyFileSync(
    path.join(dir, png),
    path.join('test-results', 'screenshots', 'report-pdf-page1.png'),
  );
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain('Two-factor authentication audit summary');
  expect(text).toContain(FAILED);
  expect(text).not.toContain('Settings · Security'); // the console's navigation does not print
  fs.rmSync(dir, { recursive: true, force: true });
});
