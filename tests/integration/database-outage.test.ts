import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/main/app';
import type { Logger } from '../../src/main/logger';
import { caller, fails, ok, type Caller } from '../support/console-driver';
import { createTestDatabase, postgresOnly } from '../support/engine';
import { ADMIN, makeTempDir } from '../support/temp-app';

/**
 * A TCP relay between the console and the PostgreSQL server: cutting it is the network (or the
 * server) going away, for this console only, while every other suite keeps the server.
 */
async function relayTo(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<number>((resolve) =>
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
    );
  const port = await listen(0);
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
    restore: () => listen(port),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(postgresOnly('losing and regaining the database server'))(
  'a console that loses its PostgreSQL server',
  () => {
    const temp = makeTempDir();
    const logged: string[] = [];
    const logger: Logger = { info: () => {}, error: (message) => logged.push(message) };
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let relay: Awaited<ReturnType<typeof relayTo>>;
    let app: App;
    let admin: Caller;

    beforeAll(async () => {
      database = await createTestDatabase();
      const direct = new URL(database.url);
      relay = await relayTo(direct);
      const viaRelay = new URL(database.url);
      viaRelay.port = String(relay.port);
      app = await createApp({
        dbPath: viaRelay.toString(),
        logger,
        env: { ...process.env, ORG2FA_KEY_FILE: path.join(temp.dir, 'org.key') },
      });
      admin = caller(app);
      ok(await admin.call('org.create', ADMIN));
      ok(await admin.call('auth.signIn', { email: ADMIN.adminEmail, password: ADMIN.password }));
    });
    afterAll(async () => {
      await app?.close();
      await relay?.close().catch(() => undefined);
      await database?.drop();
      temp.cleanup();
    });

    it('says the database is unreachable (503 UNAVAILABLE), keeps running, and recovers when it returns', async () => {
      expect(ok<{ users: unknown[] }>(await admin.call('users.list')).users).toHaveLength(1);

      await relay.cut();
      for (const name of ['users.list', 'org.getSettings', 'auth.session']) {
        const refusal = fails(await admin.call(name), 'UNAVAILABLE');
        expect(refusal.message).toMatch(/database cannot be reached right now/);
      }
      // A write attempted during the outage changes nothing, and says so.
      fails(
        await admin.call('org.updateSettings', { enabled: true, required: false }),
        'UNAVAILABLE',
      );
      expect(logged.some((line) => /the database is unreachable/.test(line))).toBe(true);

      await relay.restore();
      // The same session, still valid: it lives in the database, not in the lost connection.
      expect(ok<{ users: unknown[] }>(await admin.call('users.list')).users).toHaveLength(1);
      expect(ok(await admin.call('org.getSettings'))).toMatchObject({ enabled: false });
      ok(await admin.call('org.updateSettings', { enabled: true, required: false }));
      expect(ok(await admin.call('org.getSettings'))).toMatchObject({ enabled: true });
    }, 60_000);
  },
);
