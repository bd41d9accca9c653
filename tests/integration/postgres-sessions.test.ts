import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresOnly } from '../support/engine';
import { createTempApp, type TempApp } from '../support/temp-app';

describe.skipIf(postgresOnly('the console’s own PostgreSQL session settings'))(
  'the console’s PostgreSQL sessions',
  () => {
    let temp: TempApp;
    beforeAll(async () => {
      temp = await createTempApp();
    });
    afterAll(() => temp.close());

    it('run without JIT compilation, which costs the pattern queries more than it saves', async () => {
      const { rows } = await sql<{ jit: string }>`SHOW jit`.execute(temp.app.db);
      expect(rows).toEqual([{ jit: 'off' }]);
    });
  },
);
