import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, startWebHost, type WebHost } from '../../src/main/host/web-host';
import { silentLogger } from '../../src/main/logger';
import { ADMIN, createTempApp, type TempApp } from '../support/temp-app';
import { rawRequest } from '../support/raw-http';

describe('loopback web host', () => {
  let temp: TempApp;
  let host: WebHost;
  let origin: string;
  let launchCookie: string;

  beforeAll(async () => {
    temp = await createTempApp();
    const rendererDir = path.join(temp.dir, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(
      path.join(rendererDir, 'index.html'),
      '<!doctype html><title>Org 2FA Console</title>',
    );
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(temp.dir, 'outside.txt'), 'not for browsers');
    host = await startWebHost({ app: temp.app, port: 0, rendererDir, logger: silentLogger });
    origin = `http://127.0.0.1:${host.port}`;
    launchCookie = `org2fa_launch_${host.port}=${host.token}`;
  });
  afterAll(async () => {
    await host.close();
    await temp.close();
  });

  const bearer = () => ({ Authorization: `Bearer ${host.token}` });
  const call = (name: string, headers: Record<string, string>, body = '{}') =>
    rawRequest({ port: host.port, path: `/api/${name}`, method: 'POST', headers, body });

  it('prints a URL on 127.0.0.1 with a long random launch token', () => {
    expect(host.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[\\w-]{43}$`),
    );
  });

  it('answers 401 without the launch token or with a wrong one', async () => {
    expect((await call('auth.session', {})).status).toBe(401);
    expect((await call('auth.session', { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect(
      (await call('auth.session', { Cookie: `org2fa_launch_${host.port}=wrong` })).status,
    ).toBe(401);
    expect((await rawRequest({ port: host.port, path: '/' })).status).toBe(401);
    expect((await rawRequest({ port: host.port, path: '/?token=wrong' })).status).toBe(401);
    const body = JSON.parse((await call('auth.session', {})).body);
    expect(body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('answers a script with the Bearer token', async () => {
    const res = await call('auth.session', bearer(), '');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, data: { state: 'signed_out' } });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('refuses any Host header but its own loopback name (DNS rebinding)', async () => {
    for (const badHost of [
      'evil.example',
      `evil.example:${host.port}`,
      `127.0.0.1:${host.port + 1}`,
      `0.0.0.0:${host.port}`,
      `127.0.0.1.evil.example:${host.port}`,
    ]) {
      const res = await rawRequest({
        port: host.port,
        path: '/api/auth.session',
        method: 'POST',
        headers: { ...bearer(), Host: badHost },
      });
      expect([badHost, res.status]).toEqual([badHost, 403]);
    }
    const localhost = await rawRequest({
      port: host.port,
      path: '/api/auth.session',
      method: 'POST',
      headers: { ...bearer(), Host: `localhost:${host.port}` },
    });
    expect(localhost.status).toBe(200);
  });

  it('trades ?token= for an HttpOnly SameSite=Strict cookie and a redirect to /', async () => {
    const res = await rawRequest({ port: host.port, path: `/?token=${host.token}` });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = res.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toContain(launchCookie);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const page = await rawRequest({
      port: host.port,
      path: '/',
      headers: { Cookie: launchCookie },
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Org 2FA Console');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
  });

  it('accepts cookie-authenticated calls only from its own origin, as JSON', async () => {
    const ok = await call('auth.session', {
      Cookie: launchCookie,
      Origin: origin,
      'Content-Type': 'application/json',
    });
    expect(ok.status).toBe(200);
    const refused: Array<Record<string, string>> = [
      { Cookie: launchCookie, 'Content-Type': 'application/json' },
      { Cookie: launchCookie, Origin: 'http://evil.example', 'Content-Type': 'application/json' },
      { Cookie: launchCookie, Origin: 'null', 'Content-Type': 'application/json' },
      { Cookie: launchCookie, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      { Cookie: launchCookie, Origin: origin, 'Content-Type': 'text/plain' },
      { Cookie: launchCookie, Origin: origin },
    ];
    for (const headers of refused)
      expect([headers, (await call('auth.session', headers)).status]).toEqual([headers, 403]);
  });

  it('refuses requests a browser marks cross-site, even with a valid token', async () => {
    const res = await call('auth.session', { ...bearer(), 'Sec-Fetch-Site': 'cross-site' });
    expect(res.status).toBe(403);
  });

  it('never sends CORS headers, not even to a preflight', async () => {
    const preflight = await rawRequest({
      port: host.port,
      path: '/api/auth.session',
      method: 'OPTIONS',
      headers: {
        ...bearer(),
        Origin: 'http://evil.example',
        'Access-Control-Request-Method': 'POST',
      },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const res = await call('auth.session', { ...bearer(), Origin: 'http://evil.example' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 404 with a clean envelope for unknown calls', async () => {
    const res = await call('users.dropAll', bearer());
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Unknown call "users.dropAll".' },
    });
  });

  it('answers 400 for malformed JSON and invalid input, 413 for oversized bodies, and stays up', async () => {
    const malformed = await call('auth.signIn', bearer(), '{"email": ');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body).error.code).toBe('INVALID_INPUT');
    const invalid = await call(
      'auth.signIn',
      bearer(),
      JSON.stringify({ email: 'x', password: '' }),
    );
    expect(invalid.status).toBe(400);
    const huge = await call(
      'auth.signIn',
      bearer(),
      JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(MAX_BODY_BYTES) }),
    );
    expect(huge.status).toBe(413);
    expect((await call('auth.session', bearer())).status).toBe(200);
  });

  it('sets the session as its own HttpOnly cookie on sign-in and clears it on sign-out', async () => {
    const fresh = await createTempApp();
    const rendererDir = path.join(fresh.dir, 'r');
    fs.mkdirSync(rendererDir);
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
    const second = await startWebHost({
      app: fresh.app,
      port: 0,
      rendererDir,
      logger: silentLogger,
    });
    try {
      const post = (name: string, body: unknown, cookie?: string) =>
        rawRequest({
          port: second.port,
          path: `/api/${name}`,
          method: 'POST',
          headers: {
            Authorization: `Bearer ${second.token}`,
            ...(cookie ? { Cookie: cookie } : {}),
          },
          body: JSON.stringify(body),
        });
      expect((await post('org.create', ADMIN)).status).toBe(200);
      const signIn = await post('auth.signIn', {
        email: ADMIN.adminEmail,
        password: ADMIN.password,
      });
      const setCookie = signIn.headers['set-cookie']?.[0] ?? '';
      expect(setCookie).toMatch(
        new RegExp(`^org2fa_session_${second.port}=[\\w-]{43}; Path=/; HttpOnly; SameSite=Strict$`),
      );
      const sessionCookie = setCookie.split(';')[0]!;
      expect(JSON.parse(signIn.body)).toEqual({ ok: true, data: { state: 'signed_in' } });
      expect(JSON.parse((await post('auth.session', {}, sessionCookie)).body).data.state).toBe(
        'signed_in',
      );
      const signOut = await post('auth.signOut', {}, sessionCookie);
      expect(signOut.headers['set-cookie']?.[0]).toContain('Max-Age=0');
      expect(JSON.parse((await post('auth.session', {}, sessionCookie)).body).data.state).toBe(
        'signed_out',
      );
    } finally {
      await second.close();
      await fresh.close();
    }
  });

  it('serves the renderer build and nothing outside it', async () => {
    const asset = await rawRequest({
      port: host.port,
      path: '/assets/app.js',
      headers: { Cookie: launchCookie },
    });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    for (const sneaky of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/%00',
    ]) {
      const res = await rawRequest({
        port: host.port,
        path: sneaky,
        headers: { Cookie: launchCookie },
      });
      expect([sneaky, res.status]).toEqual([sneaky, 404]);
      expect(res.body).not.toContain('not for browsers');
    }
  });

  it('pushes events to the browser as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${origin}/api/events`, {
      headers: { Cookie: launchCookie },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    await reader.read(); // ": connected"
    const payload = {
      jobId: 'j1',
      kind: 'export',
      done: 5,
      total: 10,
      message: 'Exporting',
      finished: false,
    };
    temp.app.push.emit('job.progress', payload);
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe(
      `event: job.progress\ndata: ${JSON.stringify(payload)}\n\n`,
    );
    controller.abort();
  });

  it('listens on loopback only', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && a.family === 'IPv4');
    const targets = [external?.address, '::1'].filter((a): a is string => Boolean(a));
    for (const address of targets) {
      const reachable = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: address, port: host.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      expect([address, reachable]).toEqual([address, false]);
    }
  });
});
