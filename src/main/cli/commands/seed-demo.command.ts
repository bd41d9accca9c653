import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openCliApp } from '../cli-app';
import type { CliIo } from '../cli-io';
import { parseOption } from '../io';
import { terminalProgress } from '../progress';

export const seedDemoUsage = `org2fa seed-demo --db PATH [--users 500] [--days 90] [--seed N]
  Fills the database with a realistic org history (rollout, daily sign-ins, typos) and each of
  the guide's three attack patterns planted once, so the audit charts and findings show at once.`;

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export async function seedDemoCommand(argv: string[], io: CliIo): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      users: { type: 'string', default: '500' },
      days: { type: 'string', default: '90' },
      seed: { type: 'string', default: '1' },
    },
    strict: true,
  });
  const users = parseOption(count(1, 100_000), values.users, '--users');
  const days = parseOption(count(14, 3650), values.days, '--days');
  const seed = parseOption(count(0, 2 ** 31), values.seed, '--seed');
  const app = await openCliApp(io, values.db);
  try {
    const progress = terminalProgress(io.stderr, 'Writing events');
    const result = await app.services.demoSeed.seed({ users, days, seed }, progress.update);
    progress.done();
    io.stdout.write(
      `Seeded ${result.users} users and ${result.events} events over ${days} days into ${app.dbLocation}\n`,
    );
    if (result.createdAdmin) {
      io.stdout.write(
        `Created the organization "Demo Corp" with Site Admin ${result.createdAdmin.email}, temporary password ${result.createdAdmin.temporaryPassword}\n`,
      );
    }
  } finally {
    await app.close();
  }
}
