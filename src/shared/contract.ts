import { z } from 'zod';
import { severities } from './analytics';
import { eventFileFormats } from './event-file';
import { isCalendarDate, rolloutPhases, templateKinds } from './rollout';
import {
  accountNoticeSchema,
  displayNameSchema,
  emailSchema,
  newPasswordSchema,
  orgNameSchema,
  passwordAttemptSchema,
  requiredForSchema,
  roleSchema,
  sessionStateSchema,
  sessionUserSchema,
} from './domain';
import { refuseHiddenCharacters, refuseLineBreaks } from './text-safety';

/**
 * Who may make a call. The router checks this against the caller's session state on every
 * transport:
 * - anonymous: anyone, signed in or not;
 * - secondFactorPending: password accepted, second factor still owed;
 * - setupPending: fully signed in, or signed in but owing 2FA setup (setup and account calls);
 * - member: fully signed in;
 * - admin: fully signed in with the Site Admin or Enterprise Admin role.
 */
export type Access = 'anonymous' | 'secondFactorPending' | 'setupPending' | 'member' | 'admin';

/**
 * Which proof of identity a call needs, checked by the router right after access:
 * - none: the session is enough;
 * - recent: a proof (code or password) from the last five minutes, or one given with the call;
 * - fresh: one given with this very call, whatever the caller proved before.
 * A call with a proof level takes the optional `code` / `currentPassword` fields (proofFields).
 */
export const proofLevels = ['none', 'recent', 'fresh'] as const;
export type ProofLevel = (typeof proofLevels)[number];

export interface CallSpec<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  P extends ProofLevel = ProofLevel,
  J extends boolean = boolean,
> {
  access: Access;
  proof: P;
  /**
   * A long call with progress: its input carries a client-chosen `jobId`, under which the
   * caller receives `job.progress` pushes (the last one `finished`) and may `audit.cancelJob` it.
   */
  job: J;
  input: I;
  /** Parsed on the way out too: unknown keys are stripped, so nothing undeclared leaves main. */
  output: O;
}

function call<
  I extends z.ZodType,
  O extends z.ZodType,
  const P extends ProofLevel = 'none',
  const J extends boolean = false,
>(spec: { access: Access; proof?: P; job?: J; input: I; output: O }): CallSpec<I, O, P, J> {
  return { ...spec, proof: spec.proof ?? ('none' as P), job: spec.job ?? (false as J) };
}

/** For calls without parameters: absent, null or `{}`. */
const noInput = z
  .union([z.undefined(), z.null(), z.object({}).strict()])
  .transform(() => ({}) as Record<string, never>);
const noOutput = z.object({});

/** A TOTP code or a backup code as typed; the verifier tells which. */
const codeSchema = z.string().trim().min(1, 'Enter a code').max(64, 'Code is too long');

const backupCodesOutput = z.object({ backupCodes: z.array(z.string()) });

const orgSettingsSchema = z.object({
  enabled: z.boolean(),
  required: z.boolean(),
  requiredFor: requiredForSchema,
});
/** The org's two-factor switches as every caller sees them. */
export type OrgSettings = z.infer<typeof orgSettingsSchema>;

/**
 * Proof for a sensitive action: a current code (TOTP or backup) when the caller's 2FA is on,
 * else their password. Optional where a proof from the last five minutes still counts.
 */
const proofFields = {
  code: z.string().trim().min(1).max(64).optional(),
  currentPassword: passwordAttemptSchema.optional(),
};

/** The proof fields alone, as the router reads them before the rest of the input. */
export const proofInputSchema = z.object(proofFields);
export type ProofInput = z.infer<typeof proofInputSchema>;

/** A job's id, chosen by the client so that it can follow and cancel the job. */
const jobIdSchema = z.string().uuid();

const userIdSchema = z.string().min(1).max(100);

const twoFactorUserStatusSchema = z.enum(['not_enrolled', 'enrolled', 'inactive', 'locked']);
export type TwoFactorUserStatus = z.infer<typeof twoFactorUserStatusSchema>;

export const userOverviewSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  accountStatus: z.enum(['active', 'deactivated']),
  createdAt: z.string(),
  twoFactor: z.object({
    status: twoFactorUserStatusSchema,
    /** Set up (whatever the lock or the org switch says). */
    enrolled: z.boolean(),
    lastVerifiedAt: z.string().nullable(),
    lastMethod: z.enum(['totp', 'backup_code']).nullable(),
    failuresLast7Days: z.number(),
    backupCodesLeft: z.number(),
    lockedUntil: z.string().nullable(),
    needsAdminUnlock: z.boolean(),
  }),
});
export type UserOverview = z.infer<typeof userOverviewSchema>;

const userSummarySchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
});

const isoTimestamp = z.iso.datetime({ offset: true });

export const auditEventSchema = z.object({
  id: z.number(),
  type: z.string(),
  timestamp: z.string(),
  userId: z.string().nullable(),
  email: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  method: z.enum(['totp', 'backup_code']).nullable(),
  /** `{}` when `truncated.details` is set. */
  details: z.record(z.string(), z.unknown()),
  /** Null for events this console recorded; the file an imported event came from. */
  source: z.string().nullable(),
  /**
   * Present only in a list (audit.query) and only when a stored value is larger than the event
   * caps allow (a database older than them may hold one): its full size in bytes, and for details
   * the start of their JSON text (cut, so not parseable; `details` is then `{}`), for the user
   * agent its start in `userAgent`. audit.getEvent answers the whole event.
   */
  truncated: z
    .object({
      details: z.object({ bytes: z.number(), preview: z.string() }).optional(),
      userAgent: z.object({ bytes: z.number() }).optional(),
    })
    .optional(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

const ipOrCidrSchema = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], {
  error: 'Enter an IP address or a CIDR block such as 203.0.113.0/24',
});

const timeRangeFields = { since: isoTimestamp.optional(), until: isoTimestamp.optional() };
/** ISO 3166-1 alpha-2, upper case, as the offline geo data names countries. */
const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: 'Enter a two-letter country code such as DE' });
const tzOffsetSchema = z
  .number()
  .int()
  .min(-14 * 60)
  .max(14 * 60);

/** Successful and failed verifications counted together (the map's countries). */
const verificationCountsSchema = z.object({ success: z.number(), failed: z.number() });

/** The audit page's filters; a finding's link is one of these. */
export const auditFilterSchema = z.object({
  types: z.array(z.string().min(1).max(200)).max(50).optional(),
  email: emailSchema.optional(),
  userId: z.string().min(1).max(200).optional(),
  ip: ipOrCidrSchema.optional(),
  /** Only events from addresses the offline geo data places in this country. */
  country: countryCodeSchema.optional(),
  method: z.enum(['totp', 'backup_code']).optional(),
  outcome: z.enum(['success', 'failure']).optional(),
  /** Only failures the same user did not follow with a success within 10 minutes (no typos). */
  unresolved: z.boolean().optional(),
  ...timeRangeFields,
  text: z.string().trim().min(1).max(200).optional(),
  weekday: z.number().int().min(0).max(6).optional(),
  hour: z.number().int().min(0).max(23).optional(),
  tzOffsetMinutes: tzOffsetSchema.optional(),
});
export type AuditFilterInput = z.infer<typeof auditFilterSchema>;

/**
 * What the console can do about a finding: reset the users' 2FA (admin reset, fresh proof),
 * or add the finding's networks or autonomous systems to the trusted networks.
 */
export const findingRemedies = ['reset_two_factor', 'trust_network'] as const;
export type FindingRemedy = (typeof findingRemedies)[number];

/** A detector's kind: snake_case, a key of the detections registry. */
const detectorKindSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/)
  .max(100);

export const findingSchema = z.object({
  id: z.string(),
  /** The detector that found it (one of detections.list's kinds). */
  kind: detectorKindSchema,
  severity: z.enum(severities),
  title: z.string(),
  users: z.array(z.string()),
  ips: z.array(z.string()),
  /** ISO 3166-1 alpha-2 codes of the addresses involved (offline geo data), sorted. */
  countries: z.array(z.string()),
  /** Autonomous system numbers of the addresses involved, sorted. */
  asns: z.array(z.number().int()),
  start: z.string(),
  end: z.string(),
  count: z.number(),
  /** One sentence with the numbers: what was seen, and why it is unusual. */
  why: z.string(),
  /** What the admin should do next, in words. */
  action: z.string(),
  /** The actions the console itself can take on this finding (the panel's buttons). */
  remedies: z.array(z.enum(findingRemedies)),
  filter: auditFilterSchema,
});
export type Finding = z.infer<typeof findingSchema>;

/**
 * Every detector's thresholds, by the detector's `settingsKey` (detections.list). The registry
 * in main checks each detector's part against its own schema; here it is only their shape.
 */
export const patternSettingsSchema = z.record(
  z.string().max(100),
  z.record(z.string().max(100), z.unknown()),
);
export type PatternSettings = z.infer<typeof patternSettingsSchema>;

/** One setting of a detector as JSON Schema (z.toJSONSchema): its label, bounds and default. */
const settingJsonSchema = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  default: z.unknown().optional(),
});

export const detectorInfoSchema = z.object({
  kind: detectorKindSchema,
  /** Where its thresholds live in audit.getPatternSettings' record. */
  settingsKey: z.string(),
  title: z.string(),
  description: z.string(),
  /** Its settings as a JSON Schema object: the settings form is built from it. */
  settings: z.looseObject({
    type: z.literal('object'),
    properties: z.record(z.string(), settingJsonSchema),
  }),
});
export type DetectorInfo = z.infer<typeof detectorInfoSchema>;

/** An autonomous system as admins write it: AS13335 (case ignored). */
const AS_NUMBER = /^AS\d{1,10}$/i;
const addressOrBlock = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);

/**
 * A trusted network's value: a CIDR block (an address alone is its /32 or /128) or an autonomous
 * system (AS13335). Main stores it normalized (AS upper case, a block by its network address).
 */
export const trustedNetworkValueSchema = z
  .string()
  .trim()
  .min(1, 'Enter a CIDR block, an address or an AS number')
  .max(100)
  .refine((value) => AS_NUMBER.test(value) || addressOrBlock.safeParse(value).success, {
    error: 'Enter a CIDR block (203.0.113.0/24), an address, or an AS number (AS13335)',
  });

export const trustedNetworkSchema = z.object({
  value: trustedNetworkValueSchema,
  /** What it is, for the next admin: "Paris office", "VPN egress". */
  label: z.string().trim().max(200).default(''),
});

export const trustedNetworksSchema = z.object({
  networks: z.array(trustedNetworkSchema).max(1000),
  /**
   * A /24 (IPv6 /48) from which at least this share of the org's users verified successfully
   * over the 90-day lookback (and never fewer than 5 users) is ordinary, as if trusted: Entra's
   * "locations other users of the org use regularly". 0 turns it off (the default).
   */
  ordinaryPercent: z.number().min(0).max(100),
});
export type TrustedNetworksSettings = z.infer<typeof trustedNetworksSchema>;

/** One offline geo database in use: what the README and the About dialog credit. */
export const geoSourceSchema = z.object({
  /** e.g. "DB-IP IP to City Lite". */
  name: z.string(),
  /** What it gives: country (and coordinates), or autonomous systems. */
  provides: z.enum(['location', 'asn']),
  /** The licence and the attribution it requires, as shown to the admin. */
  licence: z.string(),
  attribution: z.string(),
  url: z.string(),
  /** When its data was made (YYYY-MM-DD), or null if the file does not say. */
  dataDate: z.string().nullable(),
  /** The bundled default, or a file the admin chose. */
  bundled: z.boolean(),
  /** What the admin should know about its accuracy (the npm copies' upstream notice), or null. */
  notice: z.string().nullable(),
});
export type GeoSource = z.infer<typeof geoSourceSchema>;

/** Where addresses' countries and networks come from (geo.about). */
export const geoAboutSchema = z.object({
  sources: z.array(geoSourceSchema),
  /** Locations carry coordinates (impossible travel then uses distances, not borders). */
  hasCoordinates: z.boolean(),
  /** The admin's folder in use, or null for the bundled databases. */
  directory: z.string().nullable(),
  /**
   * Where that choice comes from: ORG2FA_GEOIP_DIR (which wins, and makes the folder read-only
   * here), the saved setting, the bundled default, or off (ORG2FA_GEOIP=off: nothing located).
   */
  origin: z.enum(['environment', 'settings', 'bundled', 'off']),
  /** Why the chosen folder is not in use (gone, unreadable): the bundled data stands in. */
  problem: z.string().nullable(),
  /** Distinct addresses of the trail located so far. */
  located: z.number(),
});
export type GeoAbout = z.infer<typeof geoAboutSchema>;

const calendarDateSchema = z
  .string()
  .refine(isCalendarDate, 'Give a date as YYYY-MM-DD (a real calendar day)');

const rolloutStatusSchema = z.object({
  phase: z.enum(rolloutPhases),
  enabled: z.boolean(),
  required: z.boolean(),
  announcedAt: isoTimestamp.nullable(),
  enforcementDate: z.string().nullable(),
  /** Days between the announcement and the enforcement date. */
  noticeDays: z.number().nullable(),
  /** Why less than 14 days' notice was given, when it was. */
  overrideReason: z.string().nullable(),
  /** Today, as the console's calendar sees it (YYYY-MM-DD). */
  today: z.string(),
  /** The enforcement date has come and 2FA is not yet required: ask an admin to confirm. */
  due: z.boolean(),
  adoption: z.object({ enrolled: z.number(), total: z.number() }),
});
export type RolloutStatus = z.infer<typeof rolloutStatusSchema>;

const templateIdSchema = z.string().trim().min(1).max(100);

/**
 * Placeholder values go into every user's message, its subject included: one line each (no CR,
 * LF, VT, FF, NEL, U+2028 or U+2029, so no second header), nothing invisible or direction-changing.
 */
const messageInputSchema = z
  .object({
    templateId: templateIdSchema.optional(),
    guideLink: z.string().trim().max(500).superRefine(refuseHiddenCharacters),
    supportContact: z.string().trim().max(200).superRefine(refuseHiddenCharacters),
  })
  .strict();
/** Which template to fill, and the values that go into it. */
export type MessageRequest = z.infer<typeof messageInputSchema>;

const messageTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(templateKinds),
  subject: z.string(),
  body: z.string(),
  builtIn: z.boolean(),
  updatedAt: isoTimestamp.nullable(),
});

/** Whether sensitive actions need a new proof now, and which kind. */
const reauthStatusSchema = z.object({
  /** Until when sensitive actions need no new proof; null when one is needed now. */
  until: z.string().nullable(),
  /** What proof this user gives: a code when their 2FA is active, else the password. */
  method: z.enum(['code', 'password']),
});
export type ReauthStatus = z.infer<typeof reauthStatusSchema>;

/** The caller's own two-factor situation. */
const twoFactorStatusSchema = z.object({
  orgEnabled: z.boolean(),
  orgRequired: z.boolean(),
  /** The org requires 2FA of this user. */
  requiredForYou: z.boolean(),
  /** Set up (confirmed with a code); kept, inactive, while the org has 2FA off. */
  enrolled: z.boolean(),
  /** Asked for at sign-in: enrolled and the org has 2FA on. */
  active: z.boolean(),
  pendingSetup: z.boolean(),
  canDisable: z.boolean(),
  backupCodesLeft: z.number(),
  activatedAt: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  needsAdminUnlock: z.boolean(),
});
export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;

/** A new secret, shown once as QR code and manual key. */
const twoFactorSetupSchema = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrPngDataUrl: z.string(),
});
export type TwoFactorSetup = z.infer<typeof twoFactorSetupSchema>;

/** A template to save: without `id`, a new one. */
const templateDraftSchema = z
  .object({
    id: templateIdSchema.optional(),
    name: z.string().trim().min(1, 'Name the template').max(100),
    kind: z.enum(templateKinds).optional(),
    // Every line-break kind, not only CR and LF: a mail client may honour any of them.
    subject: z.string().trim().min(1, 'Write a subject').max(200).superRefine(refuseLineBreaks),
    body: z.string().trim().min(1, 'Write the message').max(20_000),
  })
  .strict();
export type TemplateDraft = z.infer<typeof templateDraftSchema>;

/** What an export covers and the digest of what it wrote; auditors check the file against it. */
const exportManifestSchema = z.object({
  format: z.enum(eventFileFormats),
  exportedAt: z.string(),
  count: z.number(),
  firstTimestamp: z.string().nullable(),
  lastTimestamp: z.string().nullable(),
  filters: auditFilterSchema,
  /** The newest event of the whole trail when the export began: the export covers nothing newer. */
  chainHead: z.object({ id: z.number(), hash: z.string() }).nullable(),
  /** SHA-256 of the exported events exactly as written (JSON Lines: without the manifest line). */
  contentSha256: z.string(),
});
export type ExportManifest = z.infer<typeof exportManifestSchema>;

const sessionOutput = z.object({
  state: sessionStateSchema,
  user: sessionUserSchema.optional(),
});

export const contract = {
  /** What the renderer needs before anyone signs in: whether the org exists yet, and its name. */
  'app.bootstrap': call({
    access: 'anonymous',
    input: noInput,
    output: z.object({ orgExists: z.boolean(), orgName: z.string().nullable() }),
  }),

  /** First run only: creates the organization and its first Site Admin; refused once an org exists. */
  'org.create': call({
    access: 'anonymous',
    input: z
      .object({
        orgName: orgNameSchema,
        adminName: displayNameSchema,
        adminEmail: emailSchema,
        password: newPasswordSchema,
      })
      .strict(),
    output: z.object({ orgName: z.string(), adminEmail: z.string() }),
  }),

  /** The caller's session state and, once the password is accepted, who they are. */
  'auth.session': call({ access: 'anonymous', input: noInput, output: sessionOutput }),

  /** Password step of sign-in; answers the next state (second factor, setup, or signed in). */
  'auth.signIn': call({
    access: 'anonymous',
    input: z.object({ email: emailSchema, password: passwordAttemptSchema }).strict(),
    output: z.object({ state: sessionStateSchema }),
  }),

  /** Ends the caller's session; harmless when there is none. */
  'auth.signOut': call({ access: 'anonymous', input: noInput, output: noOutput }),

  /** Second step of sign-in: a 6-digit TOTP code or a backup code, in the same field. */
  'auth.verify': call({
    access: 'secondFactorPending',
    input: z.object({ code: codeSchema }).strict(),
    output: z.object({ state: sessionStateSchema }),
  }),

  /** The org's two-factor switches; every signed-in user may read them. */
  'org.getSettings': call({ access: 'member', input: noInput, output: orgSettingsSchema }),

  /**
   * Changes the org's two-factor switches (require implies enabled; `requiredFor` everyone or
   * admins only, unchanged when left out); audited with what changed.
   */
  'org.updateSettings': call({
    access: 'admin',
    proof: 'recent',
    input: z
      .object({
        enabled: z.boolean(),
        required: z.boolean(),
        requiredFor: requiredForSchema.optional(),
        ...proofFields,
      })
      .strict(),
    output: orgSettingsSchema,
  }),

  /** Who a requirement would send to setup at their next sign-in, if it were switched on now. */
  'org.previewRequirement': call({
    access: 'admin',
    input: z.object({ requiredFor: requiredForSchema }).strict(),
    output: z.object({ users: z.array(userSummarySchema) }),
  }),

  /** Whether sensitive actions need a new proof now, and which kind (code or password). */
  'auth.reauthStatus': call({
    access: 'setupPending',
    input: noInput,
    output: reauthStatusSchema,
  }),

  /** Every user with their 2FA status, filtered by status, role and a search over name and email. */
  'users.list': call({
    access: 'admin',
    input: z
      .object({
        status: twoFactorUserStatusSchema.optional(),
        role: roleSchema.optional(),
        search: z.string().trim().max(200).optional(),
      })
      .strict()
      .optional()
      .transform((value) => value ?? {}),
    output: z.object({ users: z.array(userOverviewSchema) }),
  }),

  /** One user's 2FA status, for their page. */
  'users.get': call({
    access: 'admin',
    input: z.object({ userId: userIdSchema }).strict(),
    output: userOverviewSchema,
  }),

  /**
   * Adds a user. Without `password` a temporary one is generated and answered once, for the admin
   * to hand over.
   */
  'users.add': call({
    access: 'admin',
    proof: 'recent',
    input: z
      .object({
        email: emailSchema,
        name: displayNameSchema,
        role: roleSchema,
        password: newPasswordSchema.optional(),
        ...proofFields,
      })
      .strict(),
    output: z.object({
      id: z.string(),
      email: z.string(),
      temporaryPassword: z.string().optional(),
    }),
  }),

  /**
   * Imports users from CSV text with the header `email,name,role`; all lines or none. Answers each
   * new user's temporary password, once.
   */
  'users.import': call({
    access: 'admin',
    job: true,
    proof: 'recent',
    input: z
      .object({ csv: z.string().min(1).max(900_000), jobId: jobIdSchema, ...proofFields })
      .strict(),
    output: z.object({
      users: z.array(
        z.object({
          email: z.string(),
          name: z.string(),
          role: roleSchema,
          temporaryPassword: z.string(),
        }),
      ),
    }),
  }),

  /** Changes a user's role; the last admin can never be demoted.  */
  'users.setRole': call({
    access: 'admin',
    proof: 'recent',
    input: z.object({ userId: userIdSchema, role: roleSchema, ...proofFields }).strict(),
    output: noOutput,
  }),

  /** Deactivates a user and ends their sessions; never the last admin, never oneself. */
  'users.deactivate': call({
    access: 'admin',
    proof: 'recent',
    input: z.object({ userId: userIdSchema, ...proofFields }).strict(),
    output: noOutput,
  }),

  /**
   * Removes a user's 2FA secret and backup codes and clears their lockouts; they set 2FA up again
   * at next sign-in. Needs the admin's own current code (or password, without 2FA) every time.
   */
  'users.resetTwoFactor': call({
    access: 'admin',
    proof: 'fresh',
    input: z.object({ userId: userIdSchema, ...proofFields }).strict(),
    output: noOutput,
  }),

  /** Lifts a user's lockout without resetting anything. Needs the admin's own current code every time. */
  'users.unlock': call({
    access: 'admin',
    proof: 'fresh',
    input: z.object({ userId: userIdSchema, ...proofFields }).strict(),
    output: noOutput,
  }),

  /** The caller's own two-factor situation: enrolled, active, required, backup codes left, lockout. */
  'twoFactor.status': call({
    access: 'setupPending',
    input: noInput,
    output: twoFactorStatusSchema,
  }),

  /**
   * Starts (or restarts) enrollment: a new secret, shown once as QR code and manual key. Nothing
   * is active until confirmSetup accepts a code.
   */
  'twoFactor.beginSetup': call({
    access: 'setupPending',
    input: noInput,
    output: twoFactorSetupSchema,
  }),

  /** Activates 2FA with one correct code; answers the ten backup codes, shown this once. */
  'twoFactor.confirmSetup': call({
    access: 'setupPending',
    input: z.object({ code: codeSchema }).strict(),
    output: backupCodesOutput,
  }),

  /** Turns the caller's 2FA off (not while the org requires it); needs a current code. */
  'twoFactor.disable': call({
    access: 'setupPending',
    input: z.object({ code: codeSchema }).strict(),
    output: noOutput,
  }),

  /** Replaces all backup codes with ten new ones; needs a current code. */
  'twoFactor.regenerateBackupCodes': call({
    access: 'setupPending',
    input: z.object({ code: codeSchema }).strict(),
    output: backupCodesOutput,
  }),

  /** Changes the caller's password; needs the current one, and a current code when 2FA is on. */
  'account.changePassword': call({
    access: 'setupPending',
    input: z
      .object({
        currentPassword: passwordAttemptSchema,
        newPassword: newPasswordSchema,
        code: codeSchema.optional(),
      })
      .strict(),
    output: noOutput,
  }),

  /** What an admin did to the caller's account (2FA reset or turned off), not yet dismissed. */
  'account.notices': call({
    access: 'setupPending',
    input: noInput,
    output: z.object({ notices: z.array(accountNoticeSchema) }),
  }),

  /** Dismisses one of the caller's own notices. */
  'account.dismissNotice': call({
    access: 'setupPending',
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: noOutput,
  }),

  /**
   * One page of the audit trail, newest first, filtered; pass nextCursor back for the next page.
   * With `text`, a page reads a bounded window of rows, so it may hold fewer events than `limit`
   * (even none) and still have a nextCursor: only a null nextCursor means the end.
   */
  'audit.query': call({
    access: 'admin',
    input: auditFilterSchema
      .extend({
        limit: z.number().int().min(1).max(1000).optional(),
        cursor: z.string().max(200).optional(),
      })
      .strict()
      .optional()
      .transform((value) => value ?? {}),
    output: z.object({ events: z.array(auditEventSchema), nextCursor: z.string().nullable() }),
  }),

  /** One whole event, every value as stored however large: what a list cut (`truncated`). */
  'audit.getEvent': call({
    access: 'admin',
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: auditEventSchema,
  }),

  /**
   * The findings of every detector (detections.list) over a period (default: the last 90 days),
   * the most severe first; the guide's three patterns among them.
   */
  'audit.patterns': call({
    access: 'admin',
    input: z
      .object(timeRangeFields)
      .strict()
      .optional()
      .transform((value) => value ?? {}),
    output: z.object({ findings: z.array(findingSchema) }),
  }),

  /** Successful and failed verifications per hour or day, with spikes marked. */
  'audit.timeline': call({
    access: 'admin',
    input: z
      .object({ ...timeRangeFields, bucket: z.enum(['hour', 'day']).default('day') })
      .strict(),
    output: z.object({
      bucket: z.enum(['hour', 'day']),
      buckets: z.array(
        z.object({
          start: z.string(),
          success: z.number(),
          failed: z.number(),
          spike: z.boolean(),
        }),
      ),
    }),
  }),

  /** The users, addresses or networks with the most failed verifications. */
  'audit.top': call({
    access: 'admin',
    input: z
      .object({
        ...timeRangeFields,
        by: z.enum(['user', 'ip', 'network']),
        limit: z.number().int().min(1).max(100).optional(),
      })
      .strict(),
    output: z.object({
      by: z.enum(['user', 'ip', 'network']),
      rows: z.array(z.object({ key: z.string(), label: z.string(), failures: z.number() })),
    }),
  }),

  /**
   * Successful and failed verifications by the country of their address (offline geo data), with
   * those from internal addresses and from addresses of no known country apart: the map.
   */
  'audit.countries': call({
    access: 'admin',
    input: z.object(timeRangeFields).strict(),
    output: z.object({
      countries: z.array(verificationCountsSchema.extend({ country: z.string() })),
      unknown: verificationCountsSchema,
      internal: verificationCountsSchema,
    }),
  }),

  /** Failed verifications by weekday (0 = Sunday) and hour, in the caller's time zone. */
  'audit.heatmap': call({
    access: 'admin',
    input: z.object({ ...timeRangeFields, tzOffsetMinutes: tzOffsetSchema.optional() }).strict(),
    output: z.object({
      cells: z.array(z.object({ weekday: z.number(), hour: z.number(), failures: z.number() })),
    }),
  }),

  /** Starts an upload of a file to import; its chunks follow with uploads.append. */
  'uploads.begin': call({
    access: 'admin',
    input: z
      .object({
        fileName: z.string().min(1).max(255),
        size: z
          .number()
          .int()
          .min(1)
          .max(2 * 1024 ** 3),
      })
      .strict(),
    output: z.object({ uploadId: z.string() }),
  }),

  /** One chunk of an upload, base64, at the byte offset where the previous one ended. */
  'uploads.append': call({
    access: 'admin',
    input: z
      .object({
        uploadId: z.string().uuid(),
        offset: z.number().int().min(0),
        data: z
          .string()
          .max(700_000)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64'),
      })
      .strict(),
    output: z.object({ received: z.number() }),
  }),

  /** Drops one of the caller's unfinished uploads (a cancelled one), so it stops counting. */
  'uploads.discard': call({
    access: 'admin',
    input: z.object({ uploadId: z.string().uuid() }).strict(),
    output: noOutput,
  }),

  /**
   * Imports an uploaded event file (JSON Lines or CSV): all lines or none, unless `skipInvalid`.
   * Progress arrives as job.progress push events for `jobId` (client-chosen, so it can cancel).
   * Skipped lines, with the reason for each, are offered like an export: a download for this
   * session only, once (web), or saved to the Downloads folder (desktop).
   */
  'audit.import': call({
    access: 'admin',
    job: true,
    input: z
      .object({
        uploadId: z.string().uuid(),
        jobId: jobIdSchema,
        skipInvalid: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      file: z.string(),
      imported: z.number(),
      duplicates: z.number(),
      rejected: z.number(),
      rejectedFile: z
        .object({
          fileName: z.string(),
          downloadUrl: z.string().nullable(),
          savedTo: z.string().nullable(),
        })
        .nullable(),
    }),
  }),

  /**
   * Exports the events matching the filters as CSV or JSON Lines, with a manifest; audited. The
   * file is offered for download (web) or saved to the Downloads folder (desktop).
   */
  'audit.export': call({
    access: 'admin',
    job: true,
    input: z
      .object({
        filters: auditFilterSchema,
        format: z.enum(eventFileFormats),
        jobId: jobIdSchema,
      })
      .strict(),
    output: z.object({
      fileName: z.string(),
      downloadUrl: z.string().nullable(),
      savedTo: z.string().nullable(),
      manifest: exportManifestSchema,
    }),
  }),

  /** Walks the whole hash chain and says whether the trail is intact, or where it is not. */
  'audit.verifyChain': call({
    access: 'admin',
    job: true,
    input: z.object({ jobId: jobIdSchema }).strict(),
    output: z.object({
      ok: z.boolean(),
      count: z.number(),
      headHash: z.string().nullable(),
      firstBadId: z.number().nullable(),
      message: z.string(),
    }),
  }),

  /** Stops a running import, export or verification of the caller's; an import rolls back. */
  'audit.cancelJob': call({
    access: 'admin',
    input: z.object({ jobId: jobIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  }),

  /** Event counts by type for a period: the summary report's table. */
  'audit.summary': call({
    access: 'admin',
    input: z
      .object(timeRangeFields)
      .strict()
      .optional()
      .transform((value) => value ?? {}),
    output: z.object({ counts: z.array(z.object({ type: z.string(), count: z.number() })) }),
  }),

  /** The detectors behind audit.patterns: their kinds, titles and settings' schemas. */
  'detections.list': call({
    access: 'admin',
    input: noInput,
    output: z.object({ detectors: z.array(detectorInfoSchema) }),
  }),

  /** The pattern thresholds in force, every detector's (defaults where none were saved). */
  'audit.getPatternSettings': call({
    access: 'admin',
    input: noInput,
    output: patternSettingsSchema,
  }),

  /** Changes the pattern thresholds (every detector's, checked against its schema); audited. */
  'audit.updatePatternSettings': call({
    access: 'admin',
    proof: 'recent',
    input: z.object({ settings: patternSettingsSchema, ...proofFields }).strict(),
    output: patternSettingsSchema,
  }),

  /** The org's trusted networks and the "ordinary network" share (detections' settings). */
  'detections.getTrustedNetworks': call({
    access: 'admin',
    input: noInput,
    output: trustedNetworksSchema,
  }),

  /** Replaces the trusted networks and the "ordinary network" share; audited. */
  'detections.updateTrustedNetworks': call({
    access: 'admin',
    proof: 'recent',
    input: trustedNetworksSchema.extend(proofFields).strict(),
    output: trustedNetworksSchema,
  }),

  /** Adds one network or autonomous system (a finding's "Trust network"); idempotent, audited. */
  'detections.trustNetwork': call({
    access: 'admin',
    proof: 'recent',
    input: trustedNetworkSchema.extend(proofFields).strict(),
    output: trustedNetworksSchema,
  }),

  /** The offline geo databases in use: names, licences, attribution, data dates (About). */
  'geo.about': call({ access: 'admin', input: noInput, output: geoAboutSchema }),

  /**
   * Uses the .mmdb files of a folder on this machine (GeoLite2/GeoIP2 City, Country, ASN; DB-IP
   * Lite) instead of the bundled data, or the bundled data again (null), and relocates every
   * address of the trail with them; audited.
   */
  'geo.setDirectory': call({
    access: 'admin',
    proof: 'recent',
    input: z
      .object({
        directory: z.string().trim().min(1).max(4096).superRefine(refuseLineBreaks).nullable(),
        ...proofFields,
      })
      .strict(),
    output: geoAboutSchema,
  }),

  /**
   * Where the rollout stands: the phase (from the settings and the announcement), the dates, and
   * whether the enforcement date has come (`due`: an admin is asked to confirm; never silent).
   */
  'rollout.get': call({ access: 'admin', input: noInput, output: rolloutStatusSchema }),

  /**
   * Phase 2: records the announcement (sent today) and the planned enforcement date. Less than
   * 14 days' notice is refused unless `override.reason` says why; audited either way. It sets
   * the day everyone is sent to setup, so it needs a recent proof.
   */
  'rollout.announce': call({
    access: 'admin',
    proof: 'recent',
    input: z
      .object({
        enforcementDate: calendarDateSchema,
        override: z
          .object({
            reason: z
              .string()
              .trim()
              .min(10, 'Say in a sentence why users get less notice')
              .max(500),
          })
          .strict()
          .optional(),
        ...proofFields,
      })
      .strict(),
    output: rolloutStatusSchema,
  }),

  /** The dry run: who would be redirected to setup if Require were switched on now. */
  'rollout.preview': call({
    access: 'admin',
    input: noInput,
    output: z.object({
      wouldBeRedirected: z.array(z.object({ id: z.string(), email: z.string(), name: z.string() })),
    }),
  }),

  /** Enrolled users per day, from the audit trail, ending at today's count. */
  'rollout.adoptionHistory': call({
    access: 'admin',
    input: noInput,
    output: z.object({
      points: z.array(z.object({ date: z.string(), enrolled: z.number() })),
      total: z.number(),
    }),
  }),

  /**
   * A template filled for sending (default: the announcement). `missing` names placeholders
   * still unfilled; such a message cannot be exported.
   */
  'rollout.renderMessage': call({
    access: 'admin',
    input: messageInputSchema,
    output: z.object({ subject: z.string(), body: z.string(), missing: z.array(z.string()) }),
  }),

  /** The message templates: the two defaults (as edited) and the org's own. */
  'templates.list': call({
    access: 'admin',
    input: noInput,
    output: z.object({ templates: z.array(messageTemplateSchema) }),
  }),

  /** Saves a template (a new one without `id`); audited. */
  'templates.save': call({
    access: 'admin',
    input: templateDraftSchema,
    output: messageTemplateSchema,
  }),

  /** Puts a default template back as the guide wrote it; audited. */
  'templates.reset': call({
    access: 'admin',
    input: z.object({ id: templateIdSchema }).strict(),
    output: messageTemplateSchema,
  }),

  /**
   * The filled message as a file: `.eml` (RFC 5322, UTF-8, opens in a mail client as a draft) or
   * `.txt`. Refused, naming it, while a placeholder is unfilled.
   */
  'templates.exportEml': call({
    access: 'admin',
    input: messageInputSchema.extend({ format: z.enum(['eml', 'txt']).optional() }),
    output: z.object({ fileName: z.string(), content: z.string() }),
  }),
} as const satisfies Record<string, CallSpec>;

export type Contract = typeof contract;
export type CallName = keyof Contract;
/** What a client sends. */
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>;
/** What a handler receives after validation and normalisation. */
export type ParsedInput<N extends CallName> = z.output<Contract[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract[N]['output']>;

export const callNames = Object.keys(contract) as CallName[];

/** Own-property check, so `__proto__`, `constructor` and friends are never call names. */
export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
