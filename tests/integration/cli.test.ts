import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/store/database';
import { runCliForTest } from '../support/cli-run';
import { makeTempDir } from '../support/temp-app';

const temp = makeTempDir();
afterAll(() => temp.cleanup());
const dbFile = (name: string) => path.join(temp.dir, name);

describe('org2fa CLI', () => {
  it('prints usage for --help and refuses unknown commands and options', async () => {
    const help = await runCliForTest(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['init', 'users add', 'serve'])
      expect(help.stdout).toContain(`org2fa ${command}`);
    const unknown = await runCliForTest(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('org2fa: unknown command "frobnicate". Run org2fa --help.\n');
    const badOption = await runCliForTest(['init', '--dbb', 'x']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('init creates the org and its Site Admin once, and says so', async () => {
    const db = dbFile('init.sqlite');
    const args = [
      'init',
      '--db',
      db,
      '--org',
      'Acme',
      '--admin-email',
      'A@Acme.test',
      '--password-stdin',
    ];
    // A space cannot occur in the stored hash's encoding, so a match would be the plaintext.
    const first = await runCliForTest(args, 'short pw\n');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Created organization "Acme" with Site Admin a@acme.test');
    expect(first.stderr).toContain('shorter than 12 characters');

    const again = await runCliForTest(args, 'short pw\n');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('org2fa: This database already has an organization.');

    const opened = await openDatabase(db);
    const users = await opened.db
      .selectFrom('users')
      .select(['email', 'role', 'password_hash'])
      .execute();
    await opened.close();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: 'a@acme.test', role: 'site_admin' });
    expect(users[0]!.password_hash).toMatch(/^scrypt\$/);
    expect(users[0]!.password_hash).not.toContain('short pw');
  });

  it('init rejects bad options with one clear line and writes nothing', async () => {
    const db = dbFile('bad.sqlite');
    const badEmail = await runCliForTest(
      ['init', '--db', db, '--org', 'Acme', '--admin-email', 'nope', '--password-stdin'],
      'pw\n',
    );
    expect(badEmail.code).toBe(1);
    expect(badEmail.stderr).toBe('org2fa: --admin-email: Enter a valid email address\n');
    const noStdinFlag = await runCliForTest(
      ['init', '--db', db, '--org', 'Acme', '--admin-email', 'a@acme.test'],
      'pw\n',
    );
    expect(noStdinFlag.stderr).toContain('--password-stdin');
    const emptyPassword = await runCliForTest(
      ['init', '--db', db, '--org', 'Acme', '--admin-email', 'a@acme.test', '--password-stdin'],
      '\n',
    );
    expect(emptyPassword.stderr).toBe('org2fa: No password on standard input.\n');
    expect(fs.existsSync(db)).toBe(false);
  });

  it('users add adds a member and refuses duplicates and unknown roles', async () => {
    const db = dbFile('users.sqlite');
    await runCliForTest(
      ['init', '--db', db, '--org', 'Acme', '--admin-email', 'a@acme.test', '--password-stdin'],
      'long enough password\n',
    );
    const add = [
      'users',
      'add',
      '--db',
      db,
      '--email',
      'm@acme.test',
      '--name',
      'Mia Member',
      '--role',
      'member',
      '--password-stdin',
    ];
    expect((await runCliForTest(add, 'member password 1\n')).stdout).toBe(
      'Added member m@acme.test\n',
    );
    const duplicate = await runCliForTest(add, 'member password 1\n');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toBe('org2fa: A user with email m@acme.test already exists.\n');
    const badRole = await runCliForTest([...add.slice(0, -2), 'root', '--password-stdin'], 'x\n');
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/^org2fa: --role: /);
  });

  it('takes the database from ORG2FA_DB when --db is absent', async () => {
    const db = dbFile('from-env.sqlite');
    const result = await runCliForTest(
      ['init', '--org', 'Env Org', '--admin-email', 'e@acme.test', '--password-stdin'],
      'pw\n',
      { ORG2FA_DB: db },
    );
    expect(result.code).toBe(0);
    expect(fs.existsSync(db)).toBe(true);
  });

  it('the built binary serves: first stdout line is the URL, and it answers over HTTP', async () => {
    const bin = path.resolve('bin/org2fa.js');
    expect(fs.existsSync(path.resolve('out/cli/org2fa.js')), 'run npm run build first').toBe(true);
    const db = dbFile('serve.sqlite');
    const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const match = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]{43})$/.exec(firstLine);
      expect(match, firstLine).not.toBeNull();
      const [, port, token] = match!;
      const response = await fetch(`http://127.0.0.1:${port}/api/auth.session`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(await response.json()).toEqual({ ok: true, data: { state: 'signed_out' } });
      const page = await fetch(`http://127.0.0.1:${port}/?token=${token}`, { redirect: 'manual' });
      expect(page.status).toBe(303);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});

describe('org2fa users list', () => {
  it('prints every user with 2FA status as CSV or JSON, filtered by status, formulas made inert', async () => {
    const db = dbFile('list.sqlite');
    await runCliForTest(
      ['init', '--db', db, '--org', 'Acme', '--admin-email', 'a@acme.test', '--password-stdin'],
      'long enough password\n',
    );
    const add = (email: string, name: string) =>
      runCliForTest(
        [
          'users',
          'add',
          '--db',
          db,
          '--email',
          email,
          '--name',
          name,
          '--role',
          'member',
          '--password-stdin',
        ],
        'member password 1\n',
      );
    await add('m@acme.test', '=HYPERLINK("http://evil")');
    const csv = await runCliForTest(['users', 'list', '--db', db]);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'id,email,name,role,account_status,two_factor_status,last_verified_at,last_method,failures_last_7_days,backup_codes_left',
    );
    expect(lines).toHaveLength(3);
    expect(csv.stdout).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv.stdout).toMatch(/m@acme\.test,.*,member,active,not_enrolled,,,0,0/);

    const json = await runCliForTest([
      'users',
      'list',
      '--db',
      db,
      '--format',
      'json',
      '--status',
      'not_enrolled',
    ]);
    const users = JSON.parse(json.stdout) as Array<{
      email: string;
      twoFactor: { status: string };
    }>;
    expect(users.map((u) => u.email).sort()).toEqual(['a@acme.test', 'm@acme.test']);
    expect(
      (
        await runCliForTest([
          'users',
          'list',
          '--db',
          db,
          '--status',
          'enrolled',
          '--format',
          'json',
        ])
      ).stdout.trim(),
    ).toBe('[]');
    const bad = await runCliForTest(['users', 'list', '--db', db, '--status', 'sleepy']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^org2fa: --status: /);
  });
});
