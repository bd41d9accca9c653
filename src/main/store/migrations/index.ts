import type { Migration } from 'kysely';
import * as m0001 from './0001-initial';
import * as m0002 from './0002-two-factor';
import * as m0003 from './0003-admin-console';
import * as m0004 from './0004-audit-analysis';
import * as m0005 from './0005-success-index';
import * as m0006 from './0006-content-hash';
import * as m0007 from './0007-network-index';
import * as m0008 from './0008-rollout';
import * as m0009 from './0009-account-notices';
import * as m0010 from './0010-hourly-counts';
import * as m0011 from './0011-ip-locations';
import * as m0012 from './0012-location-detections';
import * as m0013 from './0013-verify-ip-index';
import * as m0014 from './0014-volume-detections';

/**
 * Every migration, by name, in order. A static map (not a folder scan) because bundling removes
 * the migration files from disk. Names sort in the order they must run.
 */
export const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-two-factor': m0002,
  '0003-admin-console': m0003,
  '0004-audit-analysis': m0004,
  '0005-success-index': m0005,
  '0006-content-hash': m0006,
  '0007-network-index': m0007,
  '0008-rollout': m0008,
  '0009-account-notices': m0009,
  '0010-hourly-counts': m0010,
  '0011-ip-locations': m0011,
  '0012-location-detections': m0012,
  '0013-verify-ip-index': m0013,
  '0014-volume-detections': m0014,
};
