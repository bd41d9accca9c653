import { describe, expect, it } from 'vitest';
import {
  encodeBase32,
  groupKey,
  matchTotp,
  otpauthUri,
  timeStep,
  totpCode,
  type TotpAlgorithm,
} from './totp';

const secrets: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};

// RFC 6238 Appendix B: time (s), then the 8-digit TOTP for SHA1, SHA256, SHA512.
const rfc6238: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

// RFC 4226 Appendix D: HOTP values for counters 0-9 of the SHA1 secret.
const rfc4226 = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
];

describe('TOTP module', () => {
  describe('RFC 6238 Appendix B: all 18 test vectors', () => {
    for (const [time, sha1, sha256, sha512] of rfc6238) {
      const expected = { sha1, sha256, sha512 };
      for (const algorithm of ['sha1', 'sha256', 'sha512'] as const) {
        it(`T=${time} ${algorithm.toUpperCase()} → ${expected[algorithm]}`, () => {
          expect(totpCode(secrets[algorithm], time, { digits: 8, algorithm })).toBe(
            expected[algorithm],
          );
        });
      }
    }
  });

  it('RFC 4226 Appendix D: the 10 HOTP values (TOTP is HOTP over the time step)', () => {
    const codes = rfc4226.map((_, counter) => totpCode(secrets.sha1, counter * 30));
    expect(codes).toEqual(rfc4226);
  });

  it('accepts the current step and one either side, nothing further', () => {
    const now = Date.parse('2026-11-28T12:00:10Z');
    const step = timeStep(now);
    const results = [-2, -1, 0, 1, 2].map((offset) => {
      const code = totpCode(secrets.sha1, (step + offset) * 30);
      return [offset, matchTotp(secrets.sha1, code, now)];
    });
    expect(results).toEqual([
      [-2, null],
      [-1, step - 1],
      [0, step],
      [1, step + 1],
      [2, null],
    ]);
  });

  it('refuses anything but six digits', () => {
    const now = Date.now();
    const code = totpCode(secrets.sha1, Math.floor(now / 1000));
    for (const bad of ['', '12345', '1234567', 'abcdef', ` ${code}`, `${code.slice(0, 5)}x`]) {
      expect(matchTotp(secrets.sha1, bad, now)).toBeNull();
    }
  });

  it('builds the otpauth URI authenticator apps expect, issuer in label and parameter', () => {
    const base32 = encodeBase32(secrets.sha1);
    expect(base32).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(otpauthUri('Acme & Co', 'ada+2fa@acme.test', base32)).toBe(
      'otpauth://totp/Acme%20%26%20Co:ada%2B2fa%40acme.test?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' +
        '&issuer=Acme%20%26%20Co&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('shows the manual key in groups of four', () => {
    expect(groupKey('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toBe(
      'GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ',
    );
  });
});
