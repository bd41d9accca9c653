import { z } from 'zod';
import {
  displayNameSchema,
  emailSchema,
  newPasswordSchema,
  orgNameSchema,
  passwordAttemptSchema,
  sessionStateSchema,
  sessionUserSchema,
} from './domain';

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

export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  access: Access;
  input: I;
  /** Parsed on the way out too: unknown keys are stripped, so nothing undeclared leaves main. */
  output: O;
}

function call<I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>): CallSpec<I, O> {
  return spec;
}

/** For calls without parameters: absent, null or `{}`. */
const noInput = z
  .union([z.undefined(), z.null(), z.object({}).strict()])
  .transform(() => ({}) as Record<string, never>);
const noOutput = z.object({});

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
