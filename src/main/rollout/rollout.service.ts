import {
  daysBetween,
  fillTemplate,
  localDateOf,
  longDate,
  MIN_NOTICE_DAYS,
  rolloutPhaseOf,
  type FilledMessage,
} from '../../shared/rollout';
import type { MessageRequest, ParsedInput, RolloutStatus } from '../../shared/contract';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';
import { enrollmentChangesByDay, findAnnouncement, saveAnnouncement } from '../store/rollout.store';
import type { Db } from '../store/schema';
import { writeTransaction } from '../store/transaction';
import { adoptionCounts } from '../store/users.store';
import type { AuditService } from '../audit/audit.service';
import type { ClientInfo } from '../client-info';
import { buildEml, buildText, fileNameFor } from './rollout-message';
import { auditPhaseChange } from './rollout-phase';
import type { TemplatesService } from '../templates/templates.service';
import { loadOrgSettings } from '../two-factor/two-factor-policy';
import type { UsersService } from '../users/users.service';

const DAY_MS = 86_400_000;
/** The adoption chart covers at most this many days back from today. */
const HISTORY_DAYS = 365;
const MIN_HISTORY_DAYS = 14;

/**
 * The guide's rollout as a workflow: Phase 1 enable (optional), Phase 2 announce with at least
 * 14 days' notice (less only with an audited reason), Phase 3 require on the date, which an
 * admin confirms: nothing here ever switches the requirement on by itself.
 */
export function createRolloutService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  users: UsersService;
  templates: TemplatesService;
}) {
  const { db, clock, audit, users, templates } = deps;
  /** The console's calendar: local time of the machine it runs on. */
  const today = () => localDateOf(clock.now());

  async function status(trx: Db = db): Promise<RolloutStatus> {
    const settings = await loadOrgSettings(trx);
    const announcement = await findAnnouncement(trx);
    const phase = rolloutPhaseOf(settings, Boolean(announcement));
    const now = today();
    const announcedAt = announcement ? Number(announcement.announced_at) : null;
    return {
      phase,
      enabled: settings.enabled,
      required: settings.required,
      announcedAt: announcedAt === null ? null : new Date(announcedAt).toISOString(),
      enforcementDate: announcement?.enforcement_date ?? null,
      noticeDays:
        announcement && announcedAt !== null
          ? daysBetween(localDateOf(announcedAt), announcement.enforcement_date)
          : null,
      overrideReason: announcement?.override_reason ?? null,
      today: now,
      due:
        phase === 'communicate' &&
        announcement !== undefined &&
        now >= announcement.enforcement_date,
      adoption: await adoptionCounts(trx),
    };
  }

  async function render(request: MessageRequest): Promise<FilledMessage> {
    const template = await templates.get(request.templateId ?? 'announcement');
    const settings = await loadOrgSettings(db);
    const announcement = await findAnnouncement(db);
    const date = announcement?.enforcement_date;
    return fillTemplate(template, {
      date: date ? longDate(date) : undefined,
      daysLeft: date ? String(Math.max(0, daysBetween(today(), date))) : undefined,
      guideLink: request.guideLink,
      supportContact: request.supportContact,
      orgName: settings.orgName,
    });
  }

  return {
    status: () => status(),

    async announce(
      input: { enforcementDate: string; override?: { reason: string } },
      actor: { id: string; email: string },
      client: ClientInfo,
    ): Promise<RolloutStatus> {
      return writeTransaction(db, async (trx) => {
        const before = await status(trx);
        if (!before.enabled)
          throw new DomainError(
            'CONFLICT',
            'Enable two-factor authentication first (Phase 1), so people can set it up before the date.',
          );
        if (before.required)
          throw new DomainError('CONFLICT', 'Two-factor authentication is already required.');
        const notice = daysBetween(before.today, input.enforcementDate);
        if (notice < 1)
          throw new DomainError('INVALID_INPUT', 'enforcementDate: pick a date after today.');
        const short = notice < MIN_NOTICE_DAYS;
        if (short && !input.override) {
          const earliest = localDateOf(
            Date.parse(`${before.today}T12:00:00`) + MIN_NOTICE_DAYS * DAY_MS,
          );
          throw new DomainError(
            'INVALID_INPUT',
            `enforcementDate: users must get at least ${MIN_NOTICE_DAYS} days' notice, and ` +
              `${input.enforcementDate} is ${notice} ${notice === 1 ? 'day' : 'days'} away. ` +
              `Pick ${earliest} or later, or give a reason to override.`,
          );
        }
        const overrideReason = short ? input.override!.reason : null;
        await saveAnnouncement(trx, {
          announced_at: clock.now(),
          announced_by: actor.id,
          enforcement_date: input.enforcementDate,
          override_reason: overrideReason,
        });
        await audit.append(trx, {
          type: 'com.alaigned.rollout.announced',
          userId: actor.id,
          email: actor.email,
          client,
          details: {
            enforcementDate: input.enforcementDate,
            noticeDays: notice,
            ...(before.enforcementDate ? { previousDate: before.enforcementDate } : {}),
            ...(overrideReason ? { noticeOverride: { reason: overrideReason } } : {}),
          },
        });
        await auditPhaseChange(trx, audit, before.phase, 'communicate', 'announced', actor, client);
        return status(trx);
      });
    },

    /** The dry run for the requirement as configured (everyone, or admins only). */
    async preview() {
      const settings = await loadOrgSettings(db);
      const redirected = await users.wouldBeRedirected(settings.requiredFor);
      return { wouldBeRedirected: redirected.map(({ id, email, name }) => ({ id, email, name })) };
    },

    /** Enrolled users per local day, counted back from today's figure through the trail. */
    async adoptionHistory() {
      const now = clock.now();
      const offset = -new Date(now).getTimezoneOffset() * 60_000;
      const changes = await enrollmentChangesByDay(db, offset);
      const { enrolled, total } = await adoptionCounts(db);
      const todayNumber = Math.floor((now + offset) / DAY_MS);
      // At least two weeks, so a young rollout still draws a line; at most a year.
      const first = Math.max(
        Math.min(changes[0]?.day ?? todayNumber, todayNumber - MIN_HISTORY_DAYS + 1),
        todayNumber - HISTORY_DAYS,
      );
      const deltaOf = new Map(changes.map((c) => [c.day, c.delta]));
      const points: Array<{ date: string; enrolled: number }> = [];
      let count = enrolled;
      for (let day = todayNumber; day >= first; day--) {
        // Users deleted or deactivated leave the trail's count above the table's: never below 0.
        points.push({
          date: localDateOf(day * DAY_MS - offset + DAY_MS / 2),
          enrolled: Math.max(0, count),
        });
        count -= deltaOf.get(day) ?? 0;
      }
      return { points: points.reverse(), total };
    },

    renderMessage: render,

    /** The filled message as a file; refused while any placeholder is unfilled. */
    async exportMessage(
      request: ParsedInput<'templates.exportEml'>,
      actor: { email: string },
    ): Promise<{ fileName: string; content: string }> {
      const message = await render(request);
      if (message.missing.length > 0)
        throw new DomainError(
          'INVALID_INPUT',
          `Fill in ${message.missing.map((name) => `{{${name}}}`).join(', ')} before exporting the message.`,
        );
      const format = request.format ?? 'eml';
      return {
        fileName: fileNameFor(message.subject, format),
        content:
          format === 'eml'
            ? await buildEml(message, actor.email, new Date(clock.now()))
            : buildText(message),
      };
    },
  };
}
export type RolloutService = ReturnType<typeof createRolloutService>;
