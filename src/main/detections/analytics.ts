import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../shared/contract';
import {
  defaultPatternSettings,
  type FindingKind,
  type PatternSettings,
} from '../../shared/analytics';
import { DomainError } from '../domain-error';
import {
  addressesOf,
  failureBursts,
  failureHeatmap,
  failureParticipants,
  failuresOf,
  failureWindows,
  HOUR_MS,
  hourlyCounts,
  newNetworks,
  sprayedNetworks,
  successesAround,
  topFailures,
  VERIFY_FAILED,
  VERIFY_SUCCESS,
  type Range,
  type TopDimension,
  unresolvedFailure,
  verificationsFromNetwork,
} from '../store/analytics.store';
import {
  auditEventById,
  listedCuts,
  queryAuditEvents,
  type AuditCursor,
  type AuditFilter,
  type ListedAuditEventRow,
} from '../store/audit.store';
import type { AuditEventRow, Db } from '../store/schema';
import { auditEventTypes } from '../../shared/audit-events';
import { cidrKeyRange, ipKey } from '../network/ip-network';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
export const DEFAULT_PAGE_SIZE = 100;

/** audit.query's input (filters of the audit page and of findings' links). */
export interface AuditQuery {
  types?: string[];
  email?: string;
  userId?: string;
  /** An address or a CIDR block. */
  ip?: string;
  method?: 'totp' | 'backup_code';
  outcome?: 'success' | 'failure';
  unresolved?: boolean;
  since?: string;
  until?: string;
  text?: string;
  weekday?: number;
  hour?: number;
  tzOffsetMinutes?: number;
  limit?: number;
  cursor?: string;
}

export interface Finding {
  id: string;
  kind: FindingKind;
  severity: 'low' | 'medium' | 'high';
  title: string;
  users: string[];
  ips: string[];
  start: string;
  end: string;
  count: number;
  /** audit.query input that lists exactly this finding's events. */
  filter: AuditQuery;
}

export interface TimeRangeInput {
  since?: string;
  until?: string;
}

export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.ts}.${cursor.id}`).toString('base64url');
}

export function decodeCursor(text: string): AuditCursor {
  const match = /^(\d+)\.(\d+)$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) throw new DomainError('INVALID_INPUT', 'cursor: not a cursor this console issued');
  return { ts: Number(match[1]), id: Number(match[2]) };
}

/** The columns of an event the contract shows. */
type ShownColumns = Pick<
  AuditEventRow,
  'id' | 'type' | 'ts' | 'user_id' | 'email' | 'ip' | 'user_agent' | 'method' | 'details' | 'source'
>;

/** The row as the contract shows it: ISO time, parsed details. */
export function toAuditEvent(row: ShownColumns): AuditEvent {
  return {
    id: row.id,
    type: row.type,
    timestamp: new Date(Number(row.ts)).toISOString(),
    userId: row.user_id,
    email: row.email,
    ip: row.ip,
    userAgent: row.user_agent,
    method: row.method === 'totp' || row.method === 'backup_code' ? row.method : null,
    details: JSON.parse(row.details) as Record<string, unknown>,
    source: row.source,
  };
}

/** A listed row as the contract shows it: what the list cut is marked `truncated`. */
function toListedAuditEvent(row: ListedAuditEventRow): AuditEvent {
  const cut = listedCuts(row);
  const event = toAuditEvent({ ...row, details: cut.details ? '{}' : row.details });
  if (!cut.details && !cut.userAgent) return event;
  return {
    ...event,
    truncated: {
      ...(cut.details
        ? { details: { bytes: Number(row.details_bytes), preview: row.details } }
        : {}),
      ...(cut.userAgent ? { userAgent: { bytes: Number(row.user_agent_bytes) } } : {}),
    },
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The types an outcome stands for: every known `…success` or `…failed` event. */
function typesForOutcome(outcome: 'success' | 'failure'): string[] {
  return auditEventTypes.filter((t) =>
    outcome === 'success' ? t.endsWith('.success') : t.endsWith('.failed'),
  );
}

export function toAuditFilter(input: AuditQuery): AuditFilter {
  let types = input.types;
  if (input.outcome) {
    const outcomeTypes = typesForOutcome(input.outcome);
    types = types ? types.filter((t) => outcomeTypes.includes(t)) : outcomeTypes;
    // An outcome that excludes every requested type matches nothing.
    if (types.length === 0) types = ['(no such type)'];
  }
  let ipFilter: Pick<AuditFilter, 'ipKey' | 'ipKeyRange'> = {};
  if (input.ip) {
    if (input.ip.includes('/')) {
      const range = cidrKeyRange(input.ip);
      if (!range)
        throw new DomainError('INVALID_INPUT', `ip: "${input.ip}" is not a valid CIDR block`);
      ipFilter = { ipKeyRange: range };
    } else {
      const key = ipKey(input.ip);
      if (!key) throw new DomainError('INVALID_INPUT', `ip: "${input.ip}" is not a valid address`);
      ipFilter = { ipKey: key };
    }
  }
  return {
    types,
    email: input.email,
    userId: input.userId,
    ...ipFilter,
    method: input.method,
    sinceMs: input.since ? Date.parse(input.since) : undefined,
    untilMs: input.until ? Date.parse(input.until) : undefined,
    text: input.text,
    unresolved: input.unresolved,
    weekday: input.weekday,
    hour: input.hour,
    tzOffsetMs: (input.tzOffsetMinutes ?? 0) * MINUTE,
  };
}

export function rangeOf(input: TimeRangeInput, now: number, defaultDays: number): Range {
  const untilMs = input.until ? Date.parse(input.until) : now;
  const sinceMs = input.since ? Date.parse(input.since) : untilMs - defaultDays * DAY;
  if (!(sinceMs < untilMs)) throw new DomainError('INVALID_INPUT', 'since: must be before until');
  return { sinceMs, untilMs };
}

function findingId(kind: string, ...parts: Array<string | number>): string {
  return createHash('sha256')
    .update([kind, ...parts].join('|'))
    .digest('hex')
    .slice(0, 16);
}

/** Merges time ranges that overlap or touch (within `gapMs`). */
function mergeRanges<T extends { firstTs: number; lastTs: number }>(
  items: T[],
  gapMs: number,
): Array<{ firstTs: number; lastTs: number }> {
  const sorted = [...items].sort((a, b) => a.firstTs - b.firstTs);
  const merged: Array<{ firstTs: number; lastTs: number }> = [];
  for (const item of sorted) {
    const last = merged.at(-1);
    if (last && item.firstTs <= last.lastTs + gapMs)
      last.lastTs = Math.max(last.lastTs, item.lastTs);
    else merged.push({ firstTs: item.firstTs, lastTs: item.lastTs });
  }
  return merged;
}

/**
 * The audit page and the analyses behind the charts and findings. Pure functions of the store
 * and a `now` from the main process's clock, so they run the same in-process or in a worker.
 */
export function createAnalytics(db: Db) {
  async function userFailureFindings(
    range: Range,
    settings: PatternSettings['userFailures'],
  ): Promise<Finding[]> {
    const windows = await failureWindows(
      db,
      range,
      settings.minFailures,
      settings.windowMinutes * MINUTE,
    );
    // Windows of one run (between the same two successes) are one finding: the whole run.
    const runs = new Map<string, { userId: string; from: number; to: number }>();
    for (const window of windows) {
      const around = await successesAround(
        db,
        window.user_id,
        window.window_start,
        window.window_end,
      );
      const from = Math.max(range.sinceMs, (around.before ?? -1) + 1);
      const to = Math.min(range.untilMs, around.after ?? range.untilMs);
      runs.set(`${window.user_id}\u0000${from}`, { userId: window.user_id, from, to });
    }
    const findings: Finding[] = [];
    for (const run of runs.values()) {
      const failures = await failuresOf(db, run.userId, { sinceMs: run.from, untilMs: run.to });
      const first = failures[0];
      const last = failures.at(-1);
      if (!first || !last) continue;
      const email = failures.find((f) => f.email)?.email ?? null;
      const ips = [
        ...new Set(failures.map((f) => f.ip).filter((ip): ip is string => Boolean(ip))),
      ].sort();
      findings.push({
        id: findingId('user_failures', run.userId, first.ts),
        kind: 'user_failures',
        severity:
          failures.length >= settings.minFailures * 3 || ips.length >= 3 ? 'high' : 'medium',
        title: `${failures.length} failed attempts in a row for ${email ?? run.userId}`,
        users: email ? [email] : [],
        ips,
        start: iso(first.ts),
        end: iso(last.ts),
        count: failures.length,
        filter: {
          types: [VERIFY_FAILED],
          userId: run.userId,
          since: iso(first.ts),
          until: iso(last.ts + 1),
        },
      });
    }
    return findings;
  }

  async function newNetworkFindings(
    range: Range,
    settings: PatternSettings['newNetwork'],
  ): Promise<Finding[]> {
    const rows = await newNetworks(db, range, {
      lookbackMs: settings.lookbackDays * DAY,
      baselineDays: settings.baselineDays,
      baselineSpanMs: settings.baselineSpanDays * DAY,
    });
    // One finding per network: an attacker's network is new to every account it tries at once.
    const byNetwork = new Map<string, typeof rows>();
    for (const row of rows)
      byNetwork.set(row.network, [...(byNetwork.get(row.network) ?? []), row]);
    const findings: Finding[] = [];
    for (const [network, group] of byNetwork) {
      const first = Math.min(...group.map((r) => r.first_ts));
      const events = group.reduce((n, r) => n + r.events, 0);
      const failures = group.reduce((n, r) => n + r.failures, 0);
      const emails = group.map((r) => r.email ?? r.user_id).sort();
      const single = group.length === 1 ? group[0]! : null;
      const eventsRange = { sinceMs: first, untilMs: range.untilMs };
      const filter: AuditQuery = {
        types: [VERIFY_SUCCESS, VERIFY_FAILED],
        ...(single ? { userId: single.user_id } : {}),
        ip: network,
        since: iso(first),
        until: iso(range.untilMs),
      };
      findings.push({
        id: findingId('new_network', network, single?.user_id ?? 'many', first),
        kind: 'new_network',
        // Only failures from the new network: someone without the code. Any success: the
        // person themselves, travelling; worth a look, not an alarm.
        severity: failures === events ? 'high' : 'low',
        title: single
          ? `${emails[0]} verified from a network never seen for them: ${network}`
          : `${emails.length} users verified from a network new to each of them: ${network}`,
        users: emails,
        ips: single
          ? await addressesOf(db, single.user_id, network, eventsRange)
          : (await failureParticipants(db, eventsRange, network)).ips,
        start: iso(first),
        end: iso(Math.max(...group.map((r) => r.last_ts))),
        count: single ? events : await countEvents(eventsRange, network),
        filter,
      });
    }
    return findings;
  }

  async function coordinatedFindings(
    range: Range,
    settings: PatternSettings['coordinated'],
  ): Promise<Finding[]> {
    const findings: Finding[] = [];
    // Two grids, the second shifted by half a window, so a burst straddling a boundary is caught.
    const windowMs = settings.burstWindowMinutes * MINUTE;
    const buckets = [
      ...(await failureBursts(db, range, windowMs, 0, settings.burstUsers)),
      ...(await failureBursts(db, range, windowMs, windowMs / 2, settings.burstUsers)),
    ];
    for (const burst of mergeRanges(buckets, 0)) {
      const burstRange = { sinceMs: burst.firstTs, untilMs: burst.lastTs + 1 };
      const who = await failureParticipants(db, burstRange);
      const count = await countFailures(burstRange);
      findings.push({
        id: findingId('coordinated', 'burst', burst.firstTs),
        kind: 'coordinated',
        severity: who.emails.length >= settings.burstUsers * 2 ? 'high' : 'medium',
        title: `${who.emails.length} users failed within minutes of each other`,
        users: who.emails,
        ips: who.ips,
        start: iso(burst.firstTs),
        end: iso(burst.lastTs),
        count,
        filter: {
          types: [VERIFY_FAILED],
          unresolved: true,
          since: iso(burstRange.sinceMs),
          until: iso(burstRange.untilMs),
        },
      });
    }
    const bursts = findings.splice(0);
    const sprays = await sprayedNetworks(
      db,
      range,
      settings.sprayWindowMinutes * MINUTE,
      settings.sprayUsers,
    );
    const byNetwork = new Map<string, typeof sprays>();
    for (const spray of sprays)
      byNetwork.set(spray.network, [...(byNetwork.get(spray.network) ?? []), spray]);
    for (const [network, groups] of byNetwork) {
      for (const span of mergeRanges(groups, settings.sprayWindowMinutes * MINUTE)) {
        const sprayRange = { sinceMs: span.firstTs, untilMs: span.lastTs + 1 };
        const who = await failureParticipants(db, sprayRange, network);
        findings.push({
          id: findingId('coordinated', 'spray', network, span.firstTs),
          kind: 'coordinated',
          severity: who.emails.length >= settings.sprayUsers * 2 ? 'high' : 'medium',
          title: `${who.emails.length} users failed from one network, ${network}`,
          users: who.emails,
          ips: who.ips,
          start: iso(span.firstTs),
          end: iso(span.lastTs),
          count: await countFailures(sprayRange, network),
          filter: {
            types: [VERIFY_FAILED],
            unresolved: true,
            ip: network,
            since: iso(sprayRange.sinceMs),
            until: iso(sprayRange.untilMs),
          },
        });
      }
    }
    // A burst whose every failure came from one sprayed network is that spray: report it once.
    const sameEvents = (burst: Finding) =>
      findings.some(
        (spray) =>
          spray.count === burst.count && spray.start <= burst.start && spray.end >= burst.end,
      );
    return [...bursts.filter((burst) => !sameEvents(burst)), ...findings];
  }

  /** Unresolved failures (not typos) in a range, optionally from one network. */
  async function countFailures(range: Range, network?: string): Promise<number> {
    let query = db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', VERIFY_FAILED)
      .where('ts', '>=', range.sinceMs)
      .where('ts', '<', range.untilMs)
      .where(unresolvedFailure());
    if (network) query = query.where(verificationsFromNetwork(network));
    return Number((await query.executeTakeFirstOrThrow()).n);
  }

  async function countEvents(
    range: Range,
    network?: string,
    types = [VERIFY_SUCCESS, VERIFY_FAILED],
  ): Promise<number> {
    let query = db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', 'in', types)
      .where('ts', '>=', range.sinceMs)
      .where('ts', '<', range.untilMs);
    if (network) query = query.where(verificationsFromNetwork(network));
    return Number((await query.executeTakeFirstOrThrow()).n);
  }

  return {
    async page(input: AuditQuery) {
      const limit = input.limit ?? DEFAULT_PAGE_SIZE;
      // One extra row tells whether another page exists without a COUNT.
      const { rows, continueAfter } = await queryAuditEvents(
        db,
        toAuditFilter(input),
        input.cursor ? decodeCursor(input.cursor) : null,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      // A text search that read its window without filling the page goes on from where it
      // stopped: the page may be short, even empty, and still not be the last.
      const next =
        rows.length > limit && last ? { ts: Number(last.ts), id: last.id } : continueAfter;
      return {
        events: page.map(toListedAuditEvent),
        nextCursor: next ? encodeCursor(next) : null,
      };
    },

    async event(id: number) {
      const row = await auditEventById(db, id);
      if (!row) throw new DomainError('NOT_FOUND', `There is no audit event ${id}.`);
      return toAuditEvent(row);
    },

    async timeline(input: TimeRangeInput & { bucket: 'hour' | 'day' }, now: number) {
      const range = rangeOf(input, now, input.bucket === 'hour' ? 7 : 90);
      const bucketMs = input.bucket === 'hour' ? 60 * MINUTE : DAY;
      const counts = await hourlyCounts(db, range, [VERIFY_SUCCESS, VERIFY_FAILED]);
      const first = Math.floor(range.sinceMs / bucketMs);
      const last = Math.floor((range.untilMs - 1) / bucketMs);
      const buckets = Array.from({ length: last - first + 1 }, (_, i) => ({
        start: iso((first + i) * bucketMs),
        success: 0,
        failed: 0,
        spike: false,
      }));
      for (const c of counts) {
        // Hours nest in both bucket sizes: an hour falls in exactly one bucket.
        const bucket = buckets[Math.floor((c.hour * HOUR_MS) / bucketMs) - first];
        if (!bucket) continue;
        if (c.type === VERIFY_FAILED) bucket.failed += c.n;
        else bucket.success += c.n;
      }
      // A spike: failures more than three standard deviations above the period's mean.
      const failed = buckets.map((b) => b.failed);
      const mean = failed.reduce((a, b) => a + b, 0) / Math.max(1, failed.length);
      const sd = Math.sqrt(
        failed.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, failed.length),
      );
      for (const bucket of buckets)
        bucket.spike = bucket.failed >= 10 && bucket.failed > mean + 3 * sd;
      return { bucket: input.bucket, buckets };
    },

    async top(input: TimeRangeInput & { by: TopDimension; limit?: number }, now: number) {
      const rows = await topFailures(db, rangeOf(input, now, 30), input.by, input.limit ?? 10);
      return {
        by: input.by,
        rows: rows.map((r) => ({
          key: r.key,
          label: input.by === 'user' ? (r.label ?? r.key) : r.key,
          failures: r.n,
        })),
      };
    },

    async heatmap(input: TimeRangeInput & { tzOffsetMinutes?: number }, now: number) {
      const cells = await failureHeatmap(
        db,
        rangeOf(input, now, 30),
        (input.tzOffsetMinutes ?? 0) * MINUTE,
      );
      const all = Array.from({ length: 7 * 24 }, (_, i) => ({
        weekday: Math.floor(i / 24),
        hour: i % 24,
        failures: 0,
      }));
      for (const cell of cells) all[cell.weekday * 24 + cell.hour]!.failures = cell.n;
      return { cells: all };
    },

    /** Events per type in a period, from the hourly counts (the partial hours at its ends counted). */
    async summary(input: TimeRangeInput, now: number) {
      const range = rangeOf(input, now, 30);
      const perType = new Map<string, number>();
      for (const c of await hourlyCounts(db, range))
        perType.set(c.type, (perType.get(c.type) ?? 0) + c.n);
      const counts = auditEventTypes.map((type) => ({ type, count: perType.get(type) ?? 0 }));
      return { counts: counts.filter((c) => c.count > 0).sort((a, b) => b.count - a.count) };
    },

    async patterns(
      input: TimeRangeInput,
      now: number,
      settings: PatternSettings = defaultPatternSettings,
    ) {
      const range = rangeOf(input, now, 90);
      const findings = [
        ...(await userFailureFindings(range, settings.userFailures)),
        ...(await newNetworkFindings(range, settings.newNetwork)),
        ...(await coordinatedFindings(range, settings.coordinated)),
      ];
      const rank = { high: 0, medium: 1, low: 2 };
      findings.sort(
        (a, b) => rank[a.severity] - rank[b.severity] || b.start.localeCompare(a.start),
      );
      return { findings };
    },
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
