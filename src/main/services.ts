import type { Clock } from './clock';
import { deriveKeys } from './keys/derived-keys';
import type { KeyMaterial } from './keys/key-file';
import type { Db } from './store/schema';
import { createAccountService } from './auth/account.service';
import { createAuditService } from './audit/audit.service';
import { createAuthService } from './auth/auth.service';
import { createDemoSeedService } from './demo/demo-seed.service';
import { createOrgService } from './org/org.service';
import { createPasswordChecker } from './auth/password-checker';
import { createPatternSettingsService } from './detections/pattern-settings.service';
import { createTrustedNetworksService } from './detections/trusted-networks.service';
import { createGeoService } from './geo/geo.service';
import { createGeoState } from './geo/geo-state';
import { createLocationRecorder } from './geo/location-recorder';
import type { GeoSelection } from './geo/offline-locator';
import type { Logger } from './logger';
import { createReauthService } from './auth/reauth.service';
import { createSecondFactorVerifier } from './two-factor/second-factor-verifier';
import { createSecretBox } from './keys/secret-box';
import { createTwoFactorService } from './two-factor/two-factor.service';
import { createUsersService } from './users/users.service';
import { createRolloutService } from './rollout/rollout.service';
import { createTemplatesService } from './templates/templates.service';

export interface ServiceDeps {
  db: Db;
  clock: Clock;
  keys: KeyMaterial;
  /** Which geo databases locate addresses (geo-state.ts: ORG2FA_GEOIP_DIR or the saved folder). */
  geo: GeoSelection;
  logger?: Logger;
}

/** Every domain service, wired to one store, one clock and one key. */
export function createServices(deps: ServiceDeps) {
  const { db, clock } = deps;
  const derived = deriveKeys(deps.keys);
  const geoState = createGeoState(deps.geo, deps.logger);
  const audit = createAuditService({ clock, locations: createLocationRecorder(geoState) });
  const secretBox = createSecretBox(derived.secretEncryption);
  const passwords = createPasswordChecker({ db, clock, audit });
  const users = createUsersService({ db, clock, audit });
  const templates = createTemplatesService({ db, clock, audit });
  const verifier = createSecondFactorVerifier({
    db,
    clock,
    audit,
    secretBox,
    backupCodeKey: derived.backupCodeHmac,
  });
  return {
    audit,
    patternSettings: createPatternSettingsService({ db, audit }),
    trustedNetworks: createTrustedNetworksService({ db, audit }),
    geo: createGeoService({ db, audit, state: geoState }),
    org: createOrgService({ db, clock, audit }),
    users,
    templates,
    rollout: createRolloutService({ db, clock, audit, users, templates }),
    auth: createAuthService({ db, clock, audit, passwords, verifier }),
    twoFactor: createTwoFactorService({
      db,
      clock,
      audit,
      secretBox,
      backupCodeKey: derived.backupCodeHmac,
      verifier,
    }),
    account: createAccountService({ db, clock, audit, passwords, verifier }),
    reauth: createReauthService({ db, clock, passwords, verifier }),
    demoSeed: createDemoSeedService({
      db,
      clock,
      audit,
      secretBox,
      backupCodeKey: derived.backupCodeHmac,
    }),
  };
}

export type Services = ReturnType<typeof createServices>;
