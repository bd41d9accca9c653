import fs from 'node:fs';
import path from 'node:path';
import { startWebHost } from '../../src/main/host/web-host';
import { silentLogger } from '../../src/main/logger';
import { contractSuite } from './contract-suite';
import { createTempApp } from '../support/temp-app';
import { httpCaller } from '../support/http-caller';

contractSuite('HTTP on the loopback web host', async () => {
  const temp = await createTempApp();
  const rendererDir = path.join(temp.dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  const host = await startWebHost({ app: temp.app, port: 0, rendererDir, logger: silentLogger });
  return {
    app: temp.app,
    clock: temp.clock,
    newCaller: () => httpCaller(host),
    close: async () => {
      await host.close();
      await temp.close();
    },
  };
});
