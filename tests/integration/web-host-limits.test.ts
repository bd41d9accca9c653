import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_LIMITS } from '../../src/main/jobs/transfers';
import type { App } from '../../src/main/app';
import {
  DEFAULT_WEB_HOST_LIMITS,
  startWebHost,
  type WebHost,
  type WebHostLimits,
} from '../../src/main/host/web-host';
import type { Logger } from '../../src/main/logger';
import { hashSessionToken } from '../../src/main/auth/auth.service';
import { ok } from '../support/console-driver';
import { httpCaller } from '../support/http-caller';
import { rawRequest } from '../support/raw-http';
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';

/** A socket connected to the host, with everything it received and whether it was closed. */
interface Probe {
  socket: net.Socket;
  received(): string;
  isClosed(): boolean;
  /** Resolves true once the host closed it, or false after `ms` (a generous deadline). */
  closedWithin(ms: number): Promise<boolean>;
}

function probe(port: number): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let closed = false;
    const whenClosed = new Promise<void>((done) =>
      socket.once('close', () => {
        closed = true;
        done();
      }),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {}); // a reset by the host is one way of being closed
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => Buffer.concat(chunks).toString('latin1'),
        isClosed: () => closed,
        closedWithin: (ms) =>
          Promise.race([
            whenClosed.then(() => true),
            new Promise<boolean>((done) => setTimeout(() => done(false), ms)),
          ]),
      }),
    );
    socket.once('error', reject);
  });
}

/** Resolves once `predicate` holds, checking every 50 ms; false after `ms`. */
async function eventually(predicate: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe('web host timeouts and connection caps (real sockets)', () => {
  let temp: TempApp;
  let rendererDir: string;
  let host: WebHost | null = null;
  const logged: string[] = [];
  const logger: Logger = { info: (message) => logged.push(message), error: () => {} };

  beforeAll(async () => {
    temp = await createTempApp();
    rendererDir = path.join(temp.dir, 'renderer');
    fs.mkdirSync(rendererDir);
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  });
  afterEach(async () => {
    await host?.close();
    host = null;
    logged.length = 0;
  });
  afterAll(() => temp.close());

  async function serve(limits: Partial<WebHostLimits>, app: App = temp.app) {
    host = await startWebHost({ app, port: 0, rendererDir, logger, limits });
    return host;
  }
  const hostHeader = (h: WebHost) => `Host: 127.0.0.1:${h.port}\r\n`;

  it('uses the documented production defaults', () => {
    expect(DEFAULT_WEB_HOST_LIMITS).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      streamIdleTimeoutMs: 60_000,
      sseKeepAliveMs: 25_000,
      maxConnections: 2_000,
      maxConnectionsWithoutToken: 500,
    });
    expect(DEFAULT_UPLOAD_LIMITS).toEqual({
      openPerSession: 4,
      bytesPerSession: 4 * 1024 ** 3,
      idleMs: 15 * 60 * 1000,
    });
    const readme = fs.readFileSync('README.md', 'utf8').replace(/\s+/g, ' ');
    for (const stated of [
      'headers have not arrived within 10 s',
      'not arrived whole within 30 s',
      'moves nothing for 60 s',
      'more than 500 connections that have not shown the launch token',
      '2,000 connections',
      'at most 4 unfinished uploads',
      '4 GB announced in all',
      'after 15 minutes without a chunk',
    ]) {
      expect(readme.includes(stated), `README.md says "${stated}"`).toBe(true);
    }
  });

  it('closes a connection whose headers never finish, after the header timeout', async () => {
    const h = await serve({ headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 });
    const started = Date.now();
    const partial = await probe(h.port);
    partial.socket.write(`GET / HTTP/1.1\r\n${hostHeader(h)}X-Slow: 1`);
    expect(await partial.closedWithin(20_000)).toBe(true);
    expect(partial.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    // A connection that never sends a byte goes the same way.
    const silent = await probe(h.port);
    expect(await silent.closedWithin(20_000)).toBe(true);
  });

  it('closes a request whose body never finishes, even with the launch token', async () => {
    const h = await serve({ headersTimeoutMs: 500, requestTimeoutMs: 1_500 });
    const unfinished = await probe(h.port);
    unfinished.socket.write(
      `POST /api/auth.session HTTP/1.1\r\n${hostHeader(h)}Authorization: Bearer ${h.token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
    );
    expect(await unfinished.closedWithin(20_000)).toBe(true);
    expect(unfinished.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('does not cut a call whose answer takes longer than the request timeout', async () => {
    // A stand-in for an import or export: the request arrives at once, the answer much later.
    const slowApp: App = {
      ...temp.app,
      router: {
        dispatch: async (...args) => {
          await new Promise((resolve) => setTimeout(resolve, 3_000));
          return temp.app.router.dispatch(...args);
        },
      },
    };
    const h = await serve({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 }, slowApp);
    const answer = await rawRequest({
      port: h.port,
      path: '/api/auth.session',
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true, data: { state: 'signed_out' } });
  });

  it('a pile of connections without the token does not keep out a request with it', async () => {
    const h = await serve({ maxConnections: 100, maxConnectionsWithoutToken: 20 });
    const attackers: Probe[] = [];
    for (let i = 0; i < 150; i++) {
      const attacker = await probe(h.port);
      attacker.socket.write(`GET / HTTP/1.1\r\n${hostHeader(h)}`);
      attackers.push(attacker);
    }
    // The oldest are closed as new ones come: never more than 20 wait without the token.
    expect(
      await eventually(() => attackers.filter((a) => !a.isClosed()).length <= 20, 20_000),
    ).toBe(true);
    expect(attackers.slice(0, 100).every((a) => a.isClosed())).toBe(true);

    const script = await rawRequest({
      port: h.port,
      path: '/api/auth.session',
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(script.status).toBe(200);
    const browser = await rawRequest({
      port: h.port,
      path: '/',
      headers: { Cookie: `org2fa_launch_${h.port}=${h.token}` },
    });
    expect(browser.status).toBe(200);
    expect(browser.body).toContain('<title>x</title>');
    for (const attacker of attackers) attacker.socket.destroy();
  });

  it('drops an event stream whose client stopped reading, and keeps a live one', async () => {
    const h = await serve({ streamIdleTimeoutMs: 3_000, sseKeepAliveMs: 250 });
    const request =
      `GET /api/events HTTP/1.1\r\n${hostHeader(h)}` +
      `Cookie: org2fa_launch_${h.port}=${h.token}\r\n\r\n`;
    const live = await probe(h.port);
    live.socket.write(request);
    const stuck = await probe(h.port);
    stuck.socket.write(request);
    stuck.socket.pause();
    expect(await eventually(() => live.received().includes(': connected'), 10_000)).toBe(true);
    // Enough to fill the stuck client's socket buffers, so the host can move nothing more.
    const message = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 64; i++) {
      temp.app.push.emit('job.progress', {
        jobId: `j${i}`,
        kind: 'audit.export',
        done: i,
        total: 64,
        message,
        finished: false,
      });
    }
    expect(
      await eventually(
        () => logged.some((m) => m.includes('dropped an event stream that moved nothing')),
        30_000,
      ),
    ).toBe(true);
    stuck.socket.resume();
    expect(await stuck.closedWithin(20_000)).toBe(true);
    // The live stream lived through it, and still gets its keep-alives.
    const keepAlives = () => live.received().split(': keep-alive\n\n').length - 1;
    const before = keepAlives();
    expect(await eventually(() => keepAlives() > before, 10_000)).toBe(true);
    expect(live.isClosed()).toBe(false);
    live.socket.destroy();
  });

  it('drops a download whose client stopped reading, and removes its file', async () => {
    const h = await serve({ streamIdleTimeoutMs: 2_000 });
    const admin = httpCaller(h);
    ok(await admin.call('org.create', ADMIN));
    ok(await admin.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
    const session = admin.sessionCookie()!;
    const file = temp.app.transfers.exports.pathFor('big-export.jsonl');
    fs.writeFileSync(file, Buffer.alloc(32 * 1024 * 1024, 'x'));
    const url = temp.app.transfers.exports.offer(hashSessionToken(session.split('=')[1]!), file)!;
    const reader = await probe(h.port);
    reader.socket.write(
      `GET ${url} HTTP/1.1\r\n${hostHeader(h)}` +
        `Cookie: org2fa_launch_${h.port}=${h.token}; ${session}\r\n\r\n`,
    );
    reader.socket.pause();
    expect(
      await eventually(
        () => logged.some((m) => m.includes('dropped a download that moved nothing')),
        30_000,
      ),
    ).toBe(true);
    expect(await eventually(() => !fs.existsSync(file), 10_000)).toBe(true);
    reader.socket.destroy();
  });
});
