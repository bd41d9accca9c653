import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, request, type Page } from '@playwright/test';

const repoRoot = path.resolve(__dirname, '..', '..');
const cli = path.join(repoRoot, 'bin', 'org2fa.js');

export interface ConsoleServer {
  /** The launch URL printed by `org2fa serve`. */
  url: string;
  origin: string;
  /** The launch token, for script-style calls with `Authorization: Bearer`. */
  token: string;
  dbPath: string;
  /** Runs another `org2fa` command against the same database. */
  org2fa(
    args: string[],
    stdin?: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function runOrg2fa(
  args: string[],
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

async function startServe(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, 'serve', '--db', dbPath, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`org2fa serve exited with ${code}`)));
  });
  return { child, url };
}

/** A fresh `org2fa serve` on its own database for each test. */
export const test = base.extend<{ server: ConsoleServer }>({
  // Playwright requires the destructuring pattern even when no other fixture is used.
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-e2e-'));
    const dbPath = path.join(dir, 'console.sqlite');
    const { child, url } = await startServe(dbPath);
    await use({
      url,
      origin: new URL(url).origin,
      token: new URL(url).searchParams.get('token')!,
      dbPath,
      org2fa: (args, stdin) => runOrg2fa([...args], stdin),
    });
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  },
});

export { expect };

/** Fails on any serious or critical axe finding on the page as it is now. */
export async function expectAccessible(page: Page, label: string) {
  // A toast or modal fading in has blended colours for a moment: judge the settled page.
  // (Endless ones, spinners, never settle and blend nothing.)
  const settled = () =>
    document
      .getAnimations()
      .every(
        (animation) =>
          animation.playState !== 'running' ||
          animation.effect?.getComputedTiming().iterations === Infinity,
      );
  const scan = async () => {
    await page.waitForFunction(settled);
    const results = await new AxeBuilder({ page }).analyze();
    return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  };
  // A toast fading in during a scan is seen at its first frame's contrast: a finding counts only
  // if a second scan of the settled page finds it again on the same element.
  let serious = await scan();
  if (serious.length > 0) {
    const again = new Set(
      (await scan()).flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}`)),
    );
    serious = serious
      .map((v) => ({
        ...v,
        nodes: v.nodes.filter((n) => again.has(`${v.id} ${n.target.join(' ')}`)),
      }))
      .filter((v) => v.nodes.length > 0);
  }
  expect(
    serious.map(
      (v) =>
        `${label}: ${v.id} (${v.impact}) ` +
        v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('; '),
    ),
  ).toEqual([]);
}

/** Saves a full-page screenshot for people to look at (test-results/screenshots). */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({
    path: path.join(repoRoot, 'test-results', 'screenshots', `${name}.png`),
    fullPage: true,
  });
}

/** Switches the console's theme through its own toggle. */
export async function useColorScheme(page: Page, scheme: 'light' | 'dark') {
  const current = await page.locator('html').getAttribute('data-mantine-color-scheme');
  if (current !== scheme)
    await page.getByRole('button', { name: `Switch to ${scheme} theme` }).click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
  // Move away so the toggle's tooltip does not cover the page in screenshots.
  await page.mouse.move(0, 0);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
}

/** The code an authenticator app would show now (+ offset steps), computed by oathtool. */
export function oathtool(secret: string, offsetSteps = 0): string {
  const epoch = Math.floor(Date.now() / 1000) + offsetSteps * 30;
  return execFileSync('oathtool', ['--totp', '-b', secret.replace(/\s/g, ''), '-N', `@${epoch}`], {
    encoding: 'utf8',
  }).trim();
}

/** A script-style client of the console's HTTP API: Bearer token, its own session cookie. */
export async function apiClient(server: ConsoleServer) {
  const context = await request.newContext({
    baseURL: server.origin,
    extraHTTPHeaders: { Authorization: `Bearer ${server.token}` },
  });
  return {
    async call<T = Record<string, unknown>>(name: string, input: unknown = {}): Promise<T> {
      const response = await context.post(`/api/${name}`, { data: input });
      const body = (await response.json()) as { ok: boolean; data?: T; error?: unknown };
      if (!body.ok) throw new Error(`${name} failed: ${JSON.stringify(body.error)}`);
      return body.data as T;
    },
    dispose: () => context.dispose(),
  };
}

export interface TestAdmin {
  org: string;
  name: string;
  email: string;
  password: string;
}

/** `org2fa init` for a fresh org with this admin, as an operator would run it. */
export async function initOrg(server: ConsoleServer, admin: TestAdmin) {
  const init = await server.org2fa(
    ['init', '--db', server.dbPath, '--org', admin.org, '--admin-email', admin.email].concat([
      '--admin-name',
      admin.name,
      '--password-stdin',
    ]),
    `${admin.password}\n`,
  );
  expect(init.code, init.stderr).toBe(0);
}

/** Signs in through the sign-in form (the password step only). */
export async function signInThroughForm(page: Page, email: string, password: string) {
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Org with an admin who has 2FA on, made through the API; returns the admin's TOTP secret. */
export async function orgWithEnrolledAdmin(server: ConsoleServer, admin: TestAdmin) {
  await initOrg(server, admin);
  const api = await apiClient(server);
  await api.call('auth.signIn', { email: admin.email, password: admin.password });
  await api.call('org.updateSettings', { enabled: true, required: false });
  const { secret } = await api.call<{ secret: string }>('twoFactor.beginSetup');
  const enrollmentCode = oathtool(secret);
  const { backupCodes } = await api.call<{ backupCodes: string[] }>('twoFactor.confirmSetup', {
    code: enrollmentCode,
  });
  // The code the enrollment spent: refused as reused for as long as it is in the ±1 window.
  return { api, secret, backupCodes, enrollmentCode };
}

/**
 * Signs in through the UI with password and a code. The enrollment spent the current step, so
 * the code is the next step's, inside the ±1 window.
 */
export async function signInWithCode(
  page: Page,
  server: ConsoleServer,
  email: string,
  password: string,
  secret: string,
) {
  await page.goto(server.url);
  await signInThroughForm(page, email, password);
  await page.getByLabel(/^6-digit code/).fill(oathtool(secret, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: /^Welcome,/ })).toBeVisible();
}
