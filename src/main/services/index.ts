import type { Clock } from '../clock';
import type { Db } from '../store/schema';
import { createAuditService } from './audit.service';
import { createAuthService } from './auth.service';
import { createOrgService } from './org.service';
import { createUsersService } from './users.service';

export interface ServiceDeps {
  db: Db;
  clock: Clock;
}

/** Every domain service, wired to one store and one clock. */
export function createServices(deps: ServiceDeps) {
  const audit = createAuditService({ clock: deps.clock });
  const withAudit = { ...deps, audit };
  return {
    audit,
    org: createOrgService(withAudit),
    users: createUsersService(withAudit),
    auth: createAuthService(withAudit),
  };
}

export type Services = ReturnType<typeof createServices>;
