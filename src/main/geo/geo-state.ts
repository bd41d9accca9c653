import type { Logger } from '../logger';
import type { GeoLocator } from './geo-locator';
import { createOfflineLocator, type GeoSelection } from './offline-locator';

/** The folder ORG2FA_GEOIP_DIR names (it wins over the saved one), or ORG2FA_GEOIP=off. */
export function selectionOf(env: NodeJS.ProcessEnv, savedDirectory: string | null): GeoSelection {
  if (env.ORG2FA_GEOIP?.trim().toLowerCase() === 'off') return { mode: 'off' };
  const fromEnv = env.ORG2FA_GEOIP_DIR?.trim();
  if (fromEnv) return { mode: 'directory', directory: fromEnv, origin: 'environment' };
  if (savedDirectory) return { mode: 'directory', directory: savedDirectory, origin: 'settings' };
  return { mode: 'bundled' };
}

/**
 * The selection and the locator this process uses, swapped when the admin picks other files. The
 * locator is built on first need; a chosen folder that became unusable (deleted, unreadable)
 * falls back to the bundled data with its `problem` kept for geo.about, rather than stopping the
 * appends that need locations.
 */
export interface GeoState {
  readonly selection: GeoSelection;
  /** Null when lookups are off. */
  locator(): GeoLocator | null;
  /** Why the selected folder is not in use, once the locator was built; else null. */
  readonly problem: string | null;
  select(selection: GeoSelection, locator?: GeoLocator): void;
}

export function createGeoState(initial: GeoSelection, logger?: Logger): GeoState {
  let selection = initial;
  let locator: GeoLocator | null = null;
  let problem: string | null = null;
  return {
    get selection() {
      return selection;
    },
    get problem() {
      return problem;
    },
    locator() {
      if (selection.mode === 'off') return null;
      if (locator) return locator;
      try {
        locator = createOfflineLocator(selection);
        problem = null;
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
        logger?.info(`Location data: ${problem} Using the bundled databases instead.`);
        locator = createOfflineLocator({ mode: 'bundled' });
      }
      return locator;
    },
    select(next, built) {
      selection = next;
      locator = built ?? null;
      problem = null;
    },
  };
}
