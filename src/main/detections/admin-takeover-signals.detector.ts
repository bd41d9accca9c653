import { z } from 'zod';
import { VERIFY_FAILED, VERIFY_SUCCESS } from '../../shared/audit-events';
import {
  BACKUP_CODES_REGENERATED,
  eventsOfTypes,
  ORG_SETTINGS_CHANGED,
  precededChanges,
  TWO_FACTOR_DISABLED,
  TWO_FACTOR_RESET,
  type AdminEventRow,
} from '../store/admin-activity.store';
import {
  baselineSettings,
  DAY_MS,
  defineDetector,
  distinctSorted,
  groupBy,
  iso,
  mergeRanges,
  MINUTE_MS,
  minutesBetween,
  type DetectedFinding,
} from './detector';
import { placeOf } from './location-wording';

/**
 * What an attacker does with an admin's or a user's session once inside (Entra's and Okta's
 * admin-abuse signals, Splunk's "MFA disabled" rules): takes 2FA off many accounts at once, takes
 * it off the whole org, or makes their hold on one account last (resets it, turns it off, or
 * takes fresh backup codes) right after signing in from somewhere new for that user.
 */
export default defineDetector({
  kind: 'admin_takeover_signals',
  title: '2FA taken away',
  description:
    'An admin resetting or turning off 2FA for many users within the hour; org 2FA turned off or its requirement lifted; a user’s 2FA reset, turned off or backup codes regenerated shortly after a verification from a network or country new for that user.',
  settings: z.object({
    massResetUsers: z
      .number()
      .int()
      .min(2)
      .max(1000)
      .default(5)
      .meta({ title: 'Mass reset: users' }),
    massResetWindowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60)
      .meta({ title: 'Mass reset: within minutes' }),
    persistenceWindowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60)
      .meta({ title: 'After a new location: within minutes' }),
    lookbackDays: z.number().int().min(7).max(365).default(90).meta({ title: 'New for days' }),
    baselineSpanDays: baselineSettings.baselineSpanDays,
  }),

  async detect({ db, range, settings, trusted }) {
    const findings: DetectedFinding[] = [];

    // 1. One admin taking 2FA off many accounts.
    const removals = (await eventsOfTypes(db, [TWO_FACTOR_RESET, TWO_FACTOR_DISABLED], range))
      .map((event) => ({ event, actor: adminActor(event) }))
      .filter((r): r is { event: AdminEventRow; actor: string } => r.actor !== null);
    const windowMs = settings.massResetWindowMinutes * MINUTE_MS;
    for (const [actor, group] of groupBy(removals, (r) => r.actor)) {
      const events = group.map((r) => r.event);
      for (const burst of massRemovals(events, settings.massResetUsers, windowMs)) {
        const targets = distinctSorted(burst.map((e) => e.email ?? e.user_id));
        const first = burst[0]!;
        const last = burst.at(-1)!;
        findings.push({
          idParts: ['mass_reset', actor, first.ts],
          severity: 'high',
          title: `${actor} took 2FA off ${targets.length} users`,
          users: [actor],
          ips: distinctSorted(burst.map((e) => e.ip)),
          start: iso(first.ts),
          end: iso(last.ts),
          count: burst.length,
          why: `${actor} reset or turned off 2FA for ${targets.length} users within ${minutesBetween(first.ts, last.ts)} (${settings.massResetUsers} or more within ${settings.massResetWindowMinutes} minutes is not routine help-desk work).`,
          action: `Ask ${actor} whether this was them. If not, reset their 2FA, have them set a new password, and have the ${targets.length} users set up 2FA again.`,
          remedies: ['reset_two_factor'],
          filter: {
            types: [TWO_FACTOR_RESET, TWO_FACTOR_DISABLED],
            ...(actor.includes('@') ? { text: actor } : {}),
            since: iso(first.ts),
            until: iso(last.ts + 1),
          },
        });
      }
    }

    // 2. Org-wide downgrades. Medium, not high: admins do this on purpose (a rollout rolled back,
    // an outage of the authenticator app), it is announced to every user, and it can be undone;
    // but it takes protection from everyone at once, which an intruder with an admin's session
    // does first, so it always deserves a second admin's look.
    for (const event of await eventsOfTypes(db, [ORG_SETTINGS_CHANGED], range)) {
      const downgrade = downgradeOf(event.details);
      if (!downgrade) continue;
      const admin = event.email ?? event.user_id ?? 'an admin';
      findings.push({
        idParts: ['org_downgrade', event.id],
        severity: 'medium',
        title: `${admin} ${downgrade.title}`,
        users: event.email ? [event.email] : [],
        ips: distinctSorted([event.ip]),
        start: iso(event.ts),
        end: iso(event.ts),
        count: 1,
        why: `${admin} ${downgrade.why}.`,
        action: `Confirm with ${admin} (and a second admin) that this was intended; if not, restore the setting, reset ${admin}'s 2FA and have them set a new password.`,
        remedies: [],
        filter: {
          types: [ORG_SETTINGS_CHANGED],
          ...(event.user_id ? { userId: event.user_id } : {}),
          since: iso(event.ts),
          until: iso(event.ts + 1),
        },
      });
    }

    // 3. Persistence right after a sign-in from somewhere new for the user.
    const rows = await precededChanges(
      db,
      [TWO_FACTOR_RESET, TWO_FACTOR_DISABLED, BACKUP_CODES_REGENERATED],
      range,
      {
        withinMs: settings.persistenceWindowMinutes * MINUTE_MS,
        lookbackMs: settings.lookbackDays * DAY_MS,
        baselineSpanMs: settings.baselineSpanDays * DAY_MS,
      },
    );
    for (const changeRows of groupBy(rows, (r) => String(r.change_id)).values()) {
      const suspicious = changeRows.filter(
        (r) =>
          r.baseline &&
          !r.internal &&
          r.network !== null &&
          !trusted.isTrusted(r.ip, r.asn) &&
          (!r.network_known || (r.country !== null && !r.country_known)),
      );
      // The closest verification before the change tells the story.
      const verification = suspicious.at(-1);
      if (!verification) continue;
      const email = verification.email ?? verification.user_id;
      const newWhat =
        verification.country !== null && !verification.country_known
          ? 'a network and country new for this user'
          : 'a network new for this user';
      const attempt = verification.verify_success ? 'a verification' : 'a failed verification';
      findings.push({
        idParts: ['persistence', verification.change_id],
        severity: 'high',
        title: `${email}: ${changeWords(verification.change_type)} right after a sign-in from somewhere new`,
        users: [email],
        ips: distinctSorted([verification.ip]),
        start: iso(verification.verify_ts),
        end: iso(verification.change_ts),
        count: 2,
        why: `${capitalized(changeWords(verification.change_type))} ${minutesBetween(verification.verify_ts, verification.change_ts)} after ${attempt} from ${verification.network} (${placeOf(verification)}), ${newWhat}.`,
        action: `Ask ${email} whether it was them; if not, reset their 2FA, have them set a new password, and look at who did it.`,
        remedies: ['reset_two_factor'],
        filter: {
          types: [VERIFY_SUCCESS, VERIFY_FAILED, verification.change_type],
          userId: verification.user_id,
          since: iso(verification.verify_ts),
          until: iso(verification.change_ts + 1),
        },
      });
    }
    return findings;
  },
});

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);

/**
 * Who took 2FA off someone else's account: an admin reset names its actor (or "cli"); a disable
 * by the user themselves (the console records `by: 'self'`) is not an admin's.
 */
function adminActor(event: AdminEventRow): string | null {
  const { details } = event;
  if (details.by === 'self') return null;
  const actorId = text(details.actorId);
  if (actorId !== null && actorId === event.user_id) return null;
  const actor = text(details.actorEmail) ?? actorId;
  if (actor) return actor;
  return event.type === TWO_FACTOR_RESET ? 'an unrecorded admin' : null;
}

/**
 * One admin's removals (oldest first) in bursts: windows of `windowMs` holding `minUsers`
 * distinct accounts, overlapping windows merged.
 */
function massRemovals(
  events: readonly AdminEventRow[],
  minUsers: number,
  windowMs: number,
): AdminEventRow[][] {
  const windows: Array<{ firstTs: number; lastTs: number }> = [];
  let end = 0;
  const counts = new Map<string, number>();
  const keyOf = (e: AdminEventRow) => e.user_id ?? e.email ?? String(e.id);
  for (let start = 0; start < events.length; start++) {
    while (end < events.length && events[end]!.ts - events[start]!.ts <= windowMs) {
      const key = keyOf(events[end++]!);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    if (counts.size >= minUsers)
      windows.push({ firstTs: events[start]!.ts, lastTs: events[end - 1]!.ts });
    const key = keyOf(events[start]!);
    const n = counts.get(key)! - 1;
    if (n === 0) counts.delete(key);
    else counts.set(key, n);
  }
  return mergeRanges(windows, 0).map((w) =>
    events.filter((e) => e.ts >= w.firstTs && e.ts <= w.lastTs),
  );
}

interface Change {
  from?: unknown;
  to?: unknown;
}

/** What an org settings change took away, if anything. */
function downgradeOf(details: Record<string, unknown>): { title: string; why: string } | null {
  const changes = (
    typeof details.changes === 'object' && details.changes !== null ? details.changes : {}
  ) as Record<string, Change | undefined>;
  if (changes.enabled?.from === true && changes.enabled.to === false)
    return {
      title: 'turned org 2FA off',
      why: 'turned two-factor authentication off for the whole organization: nobody is asked for a second factor any more',
    };
  if (changes.required?.from === true && changes.required.to === false)
    return {
      title: 'lifted the 2FA requirement',
      why: 'lifted the organization’s 2FA requirement: users may sign in without 2FA and turn theirs off',
    };
  if (changes.requiredFor?.from === 'everyone' && changes.requiredFor.to === 'admins')
    return {
      title: 'narrowed the 2FA requirement to admins',
      why: 'narrowed the 2FA requirement from everyone to admins only: members may now turn theirs off',
    };
  return null;
}

function changeWords(type: string): string {
  if (type === TWO_FACTOR_RESET) return 'their 2FA was reset';
  if (type === TWO_FACTOR_DISABLED) return '2FA turned off';
  return 'backup codes regenerated';
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
