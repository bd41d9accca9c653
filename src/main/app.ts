import { systemClock, type Clock } from './clock';
import { createHandlers } from './handlers';
import { consoleLogger, type Logger } from './logger';
import { createPushBus, type PushBus } from './push-bus';
import { createRouter, type Router } from './router';
import { createServices, type Services } from './services';
import { openDatabase } from './store/database';
import type { Db } from './store/schema';

export interface AppOptions {
  dbPath: string;
  clock?: Clock;
  logger?: Logger;
  /** better-sqlite3 addon built for Electron's ABI; the CLI and tests use the default build. */
  nativeBinding?: string;
}

/** Store + services + router, with no transport and no Electron: what every host runs. */
export interface App {
  router: Router;
  services: Services;
  push: PushBus;
  db: Db;
  dbFile: string;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger;
  const opened = await openDatabase(options.dbPath, { nativeBinding: options.nativeBinding });
  const services = createServices({ db: opened.db, clock });
  const router = createRouter({
    handlers: createHandlers(services),
    resolveSession: (token) => services.auth.resolve(token),
    logger,
  });
  return {
    router,
    services,
    push: createPushBus(),
    db: opened.db,
    dbFile: opened.file,
    close: () => opened.close(),
  };
}
