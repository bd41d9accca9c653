import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/main/host/web-host';
import { silentLogger } from '../../src/main/logger';
import { fails, ok } from '../support/console-driver';
import { httpCaller } from '../support/http-caller';
import { rawRequest } from '../support/raw-http';
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';

const FAILED = 'com.alaigned.auth.2fa.verify.failed';

function eventsFile(n: number): string {
  return (
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        type: FAILED,
        timestamp: new Date(Date.UTC(2026, 1, 1) + i * 1000).toISOString(),
        userId: `w${i % 5}`,
        email: `w${i % 5}@acme.test`,
        ip: `198.51.100.${i % 200}`,
        userAgent: 'web',
        method: 'totp',
        details: { n: i },
      }),
    ).join('\n') + '\n'
  );
}

describe('import, export and chain verification through the contract (web host)', () => {
  let temp: TempApp;
  let host: WebHost;
  let admin: ReturnType<typeof httpCaller>;
  beforeEach(async () => {
    temp = await createTempApp();
    const rendererDir = path.join(temp.dir, 'r');
    fs.mkdirSync(rendererDir);
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
    host = await startWebHost({ app: temp.app, port: 0, rendererDir, logger: silentLogger });
    admin = httpCaller(host);
    ok(await admin.call('org.create', ADMIN));
    ok(await admin.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
  });
  afterEach(async () => {
    await host.close();
    await temp.close();
  });

  /** Uploads text in chunks the way the console does, answering the upload id. */
  async function upload(name: string, text: string, chunk = 4096) {
    const bytes = Buffer.from(text);
    const { uploadId } = ok<{ uploadId: string }>(
      await admin.call('uploads.begin', { fileName: name, size: bytes.length }),
    );
    for (let offset = 0; offset < bytes.length; offset += chunk) {
      ok(
        await admin.call('uploads.append', {
          uploadId,
          offset,
          data: bytes.subarray(offset, offset + chunk).toString('base64'),
        }),
      );
    }
    return uploadId;
  }

  it('uploads in chunks, imports with progress, refuses a gap or a reused upload', async () => {
    const progress: unknown[] = [];
    temp.app.push.subscribe((m) => progress.push(m.payload));
    const uploadId = await upload('web-app.jsonl', eventsFile(300));
    const result = ok(await admin.call('audit.import', { uploadId, jobId: randomUUID() }));
    expect(result).toEqual({
      file: 'web-app.jsonl',
      imported: 300,
      duplicates: 0,
      rejected: 0,
      rejectedFile: null,
    });
    expect(
      progress.some((p) => (p as { kind: string; finished: boolean }).kind === 'audit.import'),
    ).toBe(true);
    fails(await admin.call('audit.import', { uploadId, jobId: randomUUID() }), 'NOT_FOUND');

    const { uploadId: gappy } = ok<{ uploadId: string }>(
      await admin.call('uploads.begin', { fileName: 'x.jsonl', size: 10 }),
    );
    fails(
      await admin.call('uploads.append', { uploadId: gappy, offset: 5, data: 'AAAA' }),
      'CONFLICT',
    );
    fails(await admin.call('audit.import', { uploadId: gappy, jobId: randomUUID() }), 'CONFLICT');
  });

  it('reports every bad line and imports nothing; members cannot import', async () => {
    const text = eventsFile(3).replace('"totp"', '"sms"');
    const error = fails(
      await admin.call('audit.import', {
        uploadId: await upload('bad.jsonl', text),
        jobId: randomUUID(),
      }),
      'INVALID_INPUT',
    );
    expect(error.message).toBe(
      'bad.jsonl:1: method "sms" must be totp, backup_code or empty\nNothing was imported.',
    );
    expect(fs.readdirSync(temp.app.transfers.uploads.dir)).toEqual([]);
    await temp.app.services.users.add(
      { email: 'm@acme.test', name: 'M', role: 'member', password: 'member password 1' },
      { ip: '127.0.0.1', userAgent: 't' },
      null,
    );
    const member = httpCaller(host);
    ok(await member.call('auth.signIn', { email: 'm@acme.test', password: 'member password 1' }));
    fails(await member.call('uploads.begin', { fileName: 'x.jsonl', size: 10 }), 'FORBIDDEN');
  });

  it('refuses a fifth unfinished upload per session, or more than 4 GB announced, saying why; idle ones are dropped after 15 minutes', async () => {
    const GB = 1024 ** 3;
    const begin = (caller: typeof admin, size: number) =>
      caller.call('uploads.begin', { fileName: 'big.jsonl', size });
    // 200 uploads of 2 GB each used to be accepted in a second; now the third 2 GB is refused.
    ok(await begin(admin, 2 * GB));
    ok(await begin(admin, 2 * GB));
    expect(fails(await begin(admin, 1), 'CONFLICT').message).toBe(
      "size: this session's unfinished uploads already announce 4 GB; 1 byte more is over the limit of 4 GB. Finish one first, or wait 15 minutes for an abandoned one to be dropped.",
    );
    const other = httpCaller(host);
    ok(await other.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
    const small: string[] = [];
    for (let i = 0; i < 4; i++)
      small.push(ok<{ uploadId: string }>(await begin(other, 10)).uploadId);
    expect(fails(await begin(other, 10), 'CONFLICT').message).toBe(
      'This session already has 4 unfinished uploads, the most it may have open. Finish one first, or wait 15 minutes for an abandoned one to be dropped.',
    );
    expect(fs.readdirSync(temp.app.transfers.uploads.dir)).toHaveLength(6);

    // A chunk keeps an upload alive; 15 minutes without one drops it, file and all.
    temp.clock.advance(10 * 60_000);
    ok(await other.call('uploads.append', { uploadId: small[0], offset: 0, data: 'AAAA' }));
    temp.clock.advance(5 * 60_000);
    expect(
      fails(
        await other.call('uploads.append', { uploadId: small[1], offset: 0, data: 'AAAA' }),
        'NOT_FOUND',
      ).message,
    ).toBe(
      'No such upload (it may have been used already, or dropped after 15 minutes without a chunk).',
    );
    expect(fs.readdirSync(temp.app.transfers.uploads.dir)).toHaveLength(1);
    ok(await other.call('uploads.append', { uploadId: small[0], offset: 3, data: 'AAAA' }));
    ok(await begin(admin, 2 * GB));
  });

  it('a discarded (cancelled) upload stops counting at once, and only its owner can discard it', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(
        ok<{ uploadId: string }>(
          await admin.call('uploads.begin', { fileName: 'big.jsonl', size: 10 }),
        ).uploadId,
      );
    fails(await admin.call('uploads.begin', { fileName: 'big.jsonl', size: 10 }), 'CONFLICT');
    const other = httpCaller(host);
    ok(await other.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
    fails(await other.call('uploads.discard', { uploadId: ids[0] }), 'NOT_FOUND');
    ok(await admin.call('uploads.discard', { uploadId: ids[0] }));
    expect(fs.readdirSync(temp.app.transfers.uploads.dir)).toHaveLength(3);
    fails(
      await admin.call('uploads.append', { uploadId: ids[0], offset: 0, data: 'AAAA' }),
      'NOT_FOUND',
    );
    ok(await admin.call('uploads.begin', { fileName: 'big.jsonl', size: 10 }));
  });

  it('offers the rejected lines of a skip-invalid import once, to the importing session only, and leaves nothing in the uploads', async () => {
    const lines = eventsFile(5).split('\n');
    lines[1] = lines[1]!.replace('"totp"', '"sms"');
    lines[3] = '{"type": ';
    const result = ok<{
      imported: number;
      rejected: number;
      rejectedFile: { fileName: string; downloadUrl: string; savedTo: string | null };
    }>(
      await admin.call('audit.import', {
        uploadId: await upload('web app.jsonl', lines.join('\n')),
        jobId: randomUUID(),
        skipInvalid: true,
      }),
    );
    expect(result).toMatchObject({ imported: 3, rejected: 2 });
    expect(result.rejectedFile).toEqual({
      fileName: 'web_app.jsonl.rejected.jsonl',
      downloadUrl: expect.stringMatching(/^\/downloads\/[0-9a-f-]{36}$/),
      savedTo: null,
    });
    expect(fs.readdirSync(temp.app.transfers.uploads.dir)).toEqual([]);

    const launch = `org2fa_launch_${host.port}=${host.token}`;
    const get = (cookie: string) =>
      rawRequest({
        port: host.port,
        path: result.rejectedFile.downloadUrl,
        headers: { Cookie: cookie },
      });
    expect((await get(launch)).status).toBe(404);
    const other = httpCaller(host);
    ok(await other.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
    expect((await get(`${launch}; ${other.sessionCookie()}`)).status).toBe(404);
    const download = await get(`${launch}; ${admin.sessionCookie()}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toBe(
      'attachment; filename="web_app.jsonl.rejected.jsonl"',
    );
    const rejected = download.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: number; error: string; raw: string });
    expect(rejected.map((r) => [r.line, r.raw])).toEqual([
      [2, lines[1]],
      [4, lines[3]],
    ]);
    expect(rejected[0]!.error).toBe('method "sms" must be totp, backup_code or empty');
    expect(rejected[1]!.error).toMatch(/JSON/);
    expect((await get(`${launch}; ${admin.sessionCookie()}`)).status).toBe(404);
    // Removed once sent (the host finishes closing the file just after the client has it all).
    const exportsDir = temp.app.transfers.exports.dir;
    for (let tries = 0; fs.readdirSync(exportsDir).length > 0 && tries < 100; tries++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.readdirSync(exportsDir)).toEqual([]);

    // Not fetched within the hour, the offer lapses and the file goes.
    const again = ok<{ rejectedFile: { downloadUrl: string } }>(
      await admin.call('audit.import', {
        uploadId: await upload('web app.jsonl', lines.join('\n')),
        jobId: randomUUID(),
        skipInvalid: true,
      }),
    );
    expect(fs.readdirSync(temp.app.transfers.exports.dir)).toHaveLength(1);
    temp.clock.advance(61 * 60_000);
    const late = await rawRequest({
      port: host.port,
      path: again.rejectedFile.downloadUrl,
      headers: { Cookie: `${launch}; ${admin.sessionCookie()}` },
    });
    expect(late.status).toBe(404);
    expect(fs.readdirSync(temp.app.transfers.exports.dir)).toEqual([]);
  });

  it('exports with the current filters, downloadable once by its owner only, with its manifest', async () => {
    await admin.call('audit.import', {
      uploadId: await upload('e.jsonl', eventsFile(50)),
      jobId: randomUUID(),
    });
    const result = ok<{
      downloadUrl: string;
      fileName: string;
      manifest: { count: number; contentSha256: string };
    }>(
      await admin.call('audit.export', {
        filters: { types: [FAILED], email: 'w1@acme.test' },
        format: 'csv',
        jobId: randomUUID(),
      }),
    );
    expect(result.manifest.count).toBe(10);
    expect(result.downloadUrl).toMatch(/^\/downloads\/[0-9a-f-]{36}$/);
    expect(result.fileName).toMatch(/^org2fa-audit-.*\.csv$/);
    const launch = `org2fa_launch_${host.port}=${host.token}`;
    const get = (cookie: string) =>
      rawRequest({ port: host.port, path: result.downloadUrl, headers: { Cookie: cookie } });
    // The launch token alone is not the export's owner, nor is another admin's session.
    expect((await get(launch)).status).toBe(404);
    const other = httpCaller(host);
    ok(await other.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
    expect((await get(`${launch}; ${other.sessionCookie()}`)).status).toBe(404);
    const download = await get(`${launch}; ${admin.sessionCookie()}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="${result.fileName}"`,
    );
    const lines = download.body.trim().split('\r\n');
    expect(lines[0]).toBe('type,timestamp,userId,email,ip,userAgent,method,details');
    expect(lines).toHaveLength(11);
    // Once only.
    expect((await get(`${launch}; ${admin.sessionCookie()}`)).status).toBe(404);
  });

  it('verifies the chain as a job, and cancelling an unknown or foreign job does nothing', async () => {
    await admin.call('audit.import', {
      uploadId: await upload('v.jsonl', eventsFile(20)),
      jobId: randomUUID(),
    });
    const verified = ok(await admin.call('audit.verifyChain', { jobId: randomUUID() }));
    expect(verified).toMatchObject({ ok: true, count: 24, firstBadId: null });
    expect(ok(await admin.call('audit.cancelJob', { jobId: randomUUID() }))).toEqual({
      cancelled: false,
    });
  });

  it('counts events by type for the summary report', async () => {
    await admin.call('audit.import', {
      uploadId: await upload('s.jsonl', eventsFile(7)),
      jobId: randomUUID(),
    });
    const { counts } = ok<{ counts: Array<{ type: string; count: number }> }>(
      await admin.call('audit.summary', {
        since: '2026-01-01T00:00:00Z',
        until: '2026-12-31T00:00:00Z',
      }),
    );
    expect(counts.find((c) => c.type === FAILED)).toEqual({ type: FAILED, count: 7 });
  });
});
