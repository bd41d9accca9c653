import { expect } from 'vitest';
import type { Envelope } from '../../src/shared/envelope';
import { httpStatusByCode } from '../../src/shared/errors';
import type { WebHost } from '../../src/main/host/web-host';

/**
 * A script-style client of the web host: Bearer launch token, its own session cookie jar. Every
 * answer's HTTP status is checked against the envelope's error code.
 */
export function httpCaller(host: WebHost, userAgent = 'vitest/1 (contract suite)') {
  let sessionCookie: string | null = null;
  return {
    /** The session cookie this caller holds (`name=value`), if signed in. */
    sessionCookie: () => sessionCookie,
    async call(name: string, input?: unknown): Promise<Envelope<unknown>> {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${host.token}`,
        'Content-Type': 'application/json',
        'User-Agent': userAgent,
      };
      if (sessionCookie) headers.Cookie = sessionCookie;
      const response = await fetch(
        `http://127.0.0.1:${host.port}/api/${encodeURIComponent(name)}`,
        {
          method: 'POST',
          headers,
          body: input === undefined ? undefined : JSON.stringify(input),
        },
      );
      for (const cookie of response.headers.getSetCookie()) {
        const pair = cookie.split(';')[0]!;
        if (!pair.startsWith(`org2fa_session_${host.port}=`)) continue;
        sessionCookie = pair.endsWith('=') ? null : pair;
      }
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const envelope = (await response.json()) as Envelope<unknown>;
      expect(response.status).toBe(envelope.ok ? 200 : httpStatusByCode[envelope.error.code]);
      return envelope;
    },
  };
}
