import { randomBytes } from 'node:crypto';
import { generateSync, ScureBase32Plugin, verifySync } from 'otplib';

/** Authenticator-app settings (RFC 6238 defaults every app supports). */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_SECRET_BYTES = 20; // 160 bits, RFC 4226's recommendation
/** Steps either side of now that are accepted: ±1 (±30 s) for clock drift and typing time. */
export const TOTP_WINDOW_STEPS = 1;
/** How far a correct-but-mistimed code is recognised, to tell the user to fix their clock. */
export const CLOCK_SKEW_SEARCH_STEPS = 10;

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

const base32 = new ScureBase32Plugin();

export function newTotpSecret(): Buffer {
  return randomBytes(TOTP_SECRET_BYTES);
}

/** RFC 4648 base32 without padding, as authenticator apps expect. */
export function encodeBase32(secret: Uint8Array): string {
  return base32.encode(secret, { padding: false });
}

/** The manual-entry key in groups of four, e.g. `JBSW Y3DP EHPK 3PXP`. */
export function groupKey(base32Secret: string): string {
  return base32Secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** `otpauth://totp/ORG:EMAIL?secret=…&issuer=ORG&algorithm=SHA1&digits=6&period=30`. */
export function otpauthUri(issuer: string, account: string, base32Secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = [
    `secret=${base32Secret}`,
    `issuer=${encodeURIComponent(issuer)}`,
    'algorithm=SHA1',
    `digits=${TOTP_DIGITS}`,
    `period=${TOTP_PERIOD_SECONDS}`,
  ];
  return `otpauth://totp/${label}?${params.join('&')}`;
}

export function timeStep(epochMs: number): number {
  return Math.floor(epochMs / 1000 / TOTP_PERIOD_SECONDS);
}

export interface CodeOptions {
  digits?: number;
  algorithm?: TotpAlgorithm;
}

/** The code for the time step containing `epochSeconds`. */
export function totpCode(
  secret: Uint8Array,
  epochSeconds: number,
  options: CodeOptions = {},
): string {
  return generateSync({
    secret,
    epoch: epochSeconds,
    period: TOTP_PERIOD_SECONDS,
    digits: (options.digits ?? TOTP_DIGITS) as 6,
    algorithm: options.algorithm ?? 'sha1',
  });
}

/**
 * The time step `code` belongs to, if it is within `windowSteps` of now; otherwise null.
 * otplib compares in constant time.
 */
export function matchTotp(
  secret: Uint8Array,
  code: string,
  nowMs: number,
  windowSteps = TOTP_WINDOW_STEPS,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: windowSteps * TOTP_PERIOD_SECONDS,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
