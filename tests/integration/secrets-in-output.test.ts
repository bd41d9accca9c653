import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { ScureBase32Plugin } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/main/logger';
import { normalizeBackupCode } from '../../src/main/two-factor/backup-codes';
import { caller, enroll, ok, orgWithAdmin, totpFor } from '../support/console-driver';
import { serveConsole } from '../support/served-console';
import { ADMIN, createTempApp, makeTempDir } from '../support/temp-app';

/** Every form in which a TOTP secret, a backup code or the password could leak. */
function secretNeedles(secret: string, backupCodes: string[], passwords: string[]) {
  const raw = Buffer.from(new ScureBase32Plugin().decode(secret));
  return [
    ['base32 secret', secret],
    ['hex secret', raw.toString('hex')],
    ['base64 secret', raw.toString('base64')],
    ['secret in an otpauth URI', `secret=${secret}`],
    ...passwords.map((p, i) => [`password ${i}`, p]),
    ...backupCodes.flatMap((code) => [
      [`backup code ${code}`, code],
      [`normalized backup code ${code}`, normalizeBackupCode(code)!],
    ]),
  ] as Array<[string, string]>;
}

function expectNoSecrets(where: string, bytes: Buffer, needles: Array<[string, string]>) {
  const leaked = needles.filter(([, needle]) => bytes.includes(Buffer.from(needle)));
  expect(leaked.map(([label]) => `${label} in ${where}`)).toEqual([]);
}

describe('no secret in what the console prints or logs', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.cleanup());

  it('org2fa serve: a full enrollment and sign-in flow over HTTP, with hostile requests, leaves no secret in its output or database files', async () => {
    const db = path.join(temp.dir, 'served.sqlite');
    const served = await serveConsole(db, {}, { captureOutput: true });
    const client = served.client();
    const post = (name: string, body: string) => client.send(name, body);
    const call = async <T>(name: string, input: unknown = {}): Promise<T> => {
      const envelope = await client.call<T>(name, input);
      if (!envelope.ok) throw new Error(`${name}: ${envelope.error.message}`);
      return envelope.data;
    };

    try {
      await call('org.create', ADMIN);
      // A wrong password first: failures are where logs tend to echo what was typed.
      const wrongPassword = 'not the password at all';
      await post(
        'auth.signIn',
        JSON.stringify({ email: ADMIN.adminEmail, password: wrongPassword }),
      );
      await call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
      await call('org.updateSettings', { enabled: true, required: false });
      const { secret } = await call<{ secret: string }>('twoFactor.beginSetup');
      const now = () => Date.now();
      const { backupCodes } = await call<{ backupCodes: string[] }>('twoFactor.confirmSetup', {
        code: totpFor(secret, now()),
      });
      await call('auth.signOut');
      await call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
      // A malformed body and an unknown field, each carrying a secret, then real sign-ins.
      await post('auth.verify', `{"code": "${backupCodes[1]}"`);
      await post('auth.verify', JSON.stringify({ code: backupCodes[2], secret }));
      await call('auth.verify', { code: backupCodes[0] });
      await call('auth.signOut');
      await call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password });
      await post('auth.verify', JSON.stringify({ code: backupCodes[0] }));
      await call('auth.verify', { code: backupCodes[3] });
      await call('twoFactor.regenerateBackupCodes', { code: totpFor(secret, now(), 1) });

      await served.stop();
      const needles = secretNeedles(secret, backupCodes, [ADMIN.password, wrongPassword]);
      const printed = served.output();
      expect(printed.toString()).toContain('is serving');
      expectNoSecrets('serve output', printed, needles);
      const files = [db, `${db}-wal`, `${db}-shm`].filter((f) => fs.existsSync(f));
      expect(files.length).toBeGreaterThanOrEqual(1);
      for (const file of files) expectNoSecrets(file, fs.readFileSync(file), needles);
    } finally {
      await served.stop();
    }
  }, 60_000);

  it('an internal failure mid sign-in is logged without the code or password that was sent', async () => {
    const logged: string[] = [];
    const capturing: Logger = {
      info: (message) => logged.push(message),
      error: (message, error) =>
        logged.push(`${message} ${error instanceof Error ? (error.stack ?? '') : String(error)}`),
    };
    const tempApp = await createTempApp({ logger: capturing });
    const { app } = tempApp;
    try {
      const admin = await orgWithAdmin(tempApp);
      ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
      const { secret, backupCodes } = await enroll(tempApp, admin);
      // Someone with the file breaks it: the next backup-code check fails inside the service.
      await sql`DROP TABLE backup_codes`.execute(app.db);
      const next = caller(app);
      ok(await next.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
      const failed = await next.call('auth.verify', { code: backupCodes[4] });
      expect(failed).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      expect(logged.join('\n')).toContain('Call auth.verify failed');
      expectNoSecrets(
        'the log',
        Buffer.from(logged.join('\n')),
        secretNeedles(secret, backupCodes, [ADMIN.password]),
      );
    } finally {
      await tempApp.close();
    }
  });
});
