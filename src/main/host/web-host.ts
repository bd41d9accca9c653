import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { errorEnvelope, type Envelope } from '../../shared/envelope';
import { httpStatusByCode, type ErrorBody } from '../../shared/errors';
import type { App } from '../app';
import type { Logger } from '../logger';
import { hashSessionToken } from '../auth/auth.service';
import type { PushMessage } from '../push-bus';
import type { CallContext } from '../router';
import {
  clientAddress,
  isAllowedHost,
  isSameOriginJson,
  parseCookies,
  safeEqual,
} from './http-security';
import { readStaticFile } from './static-files';

export const MAX_BODY_BYTES = 1024 * 1024;

/** How long the host waits for clients, and how many it lets in at once. */
export interface WebHostLimits {
  /** A request's headers must have arrived this long after it began (slow or partial headers). */
  headersTimeoutMs: number;
  /**
   * A request must have arrived whole (headers and body) this long after it began. It bounds
   * receiving only: a call whose answer takes minutes (an import, an export) is not cut.
   */
  requestTimeoutMs: number;
  /** An idle keep-alive connection between two requests is closed after this. */
  keepAliveTimeoutMs: number;
  /** An event stream or a download that moves no byte for this long is dropped. */
  streamIdleTimeoutMs: number;
  /** The event stream sends a comment this often, so a live stream is never idle. */
  sseKeepAliveMs: number;
  /** Open connections at most; more are refused at once. */
  maxConnections: number;
  /**
   * Open connections that have not yet shown the launch token, at most: past it, the oldest of
   * them is closed, so such a pile can neither use up the descriptors nor keep out a request
   * with the token.
   */
  maxConnectionsWithoutToken: number;
}

export const DEFAULT_WEB_HOST_LIMITS: WebHostLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  streamIdleTimeoutMs: 60_000,
  sseKeepAliveMs: 25_000,
  maxConnections: 2_000,
  maxConnectionsWithoutToken: 500,
};

export interface WebHostOptions {
  app: App;
  /** 0 picks a free port. */
  port: number;
  /** Folder of the renderer build (index.html and assets). */
  rendererDir: string;
  logger: Logger;
  /** Timeouts and connection caps; the defaults are the documented production ones. */
  limits?: Partial<WebHostLimits>;
}

export interface WebHost {
  /** `http://127.0.0.1:PORT/?token=TOKEN`: the one URL that lets a browser in. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const baseHeaders = {
  'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

class BodyTooLarge extends Error {}
/** The client went (or was cut off by a timeout) before its body was in: nobody to answer. */
class ClientGone extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => reject(new ClientGone()));
    req.on('close', () => {
      if (!req.complete) reject(new ClientGone());
    });
  });
}

/**
 * Serves the console to a browser on this machine only: 127.0.0.1, a launch token per start,
 * Host and Origin checks, no CORS. Every call goes through the same router as under Electron.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { app, logger } = options;
  const limits = { ...DEFAULT_WEB_HOST_LIMITS, ...options.limits };
  const token = randomBytes(32).toString('base64url');
  let port = options.port;
  // Cookie names carry the port: cookies are per host, not per port, and two consoles may run.
  const launchCookie = () => `org2fa_launch_${port}`;
  const sessionCookie = () => `org2fa_session_${port}`;
  const cookieAttributes = 'Path=/; HttpOnly; SameSite=Strict';
  const openStreams = new Set<ServerResponse>();

  function send(
    res: ServerResponse,
    status: number,
    body: string | Buffer,
    headers: Record<string, string | string[]> = {},
  ) {
    res.writeHead(status, { ...baseHeaders, 'Cache-Control': 'no-store', ...headers });
    res.end(body);
  }

  function sendEnvelope(
    res: ServerResponse,
    envelope: Envelope<unknown>,
    headers: Record<string, string | string[]> = {},
  ) {
    const status = envelope.ok ? 200 : httpStatusByCode[envelope.error.code];
    send(res, status, JSON.stringify(envelope), {
      'Content-Type': 'application/json; charset=utf-8',
      ...headers,
    });
  }

  function sendError(res: ServerResponse, status: number, error: ErrorBody, asJson: boolean) {
    if (asJson) {
      send(res, status, JSON.stringify(errorEnvelope(error)), {
        'Content-Type': 'application/json; charset=utf-8',
      });
    } else {
      send(res, status, `${error.message}\n`, { 'Content-Type': 'text/plain; charset=utf-8' });
    }
  }

  /** How the request proved it holds the launch token, if it did. */
  function launchAuth(
    req: IncomingMessage,
    cookies: Map<string, string>,
  ): 'bearer' | 'cookie' | 'bad-bearer' | null {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer (.+)$/.exec(authorization);
      return match?.[1] && safeEqual(match[1], token) ? 'bearer' : 'bad-bearer';
    }
    const cookie = cookies.get(launchCookie());
    return cookie !== undefined && safeEqual(cookie, token) ? 'cookie' : null;
  }

  async function handleCall(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
    cookies: Map<string, string>,
  ) {
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (error instanceof ClientGone) return;
      if (error instanceof BodyTooLarge) {
        sendError(
          res,
          413,
          { code: 'INVALID_INPUT', message: 'Request body is larger than 1 MB.' },
          true,
        );
        req.resume();
        return;
      }
      throw error;
    }
    let input: unknown = undefined;
    if (raw.length > 0) {
      try {
        input = JSON.parse(raw.toString('utf8'));
      } catch {
        sendError(
          res,
          400,
          { code: 'INVALID_INPUT', message: 'Request body is not valid JSON.' },
          true,
        );
        return;
      }
    }
    const before = cookies.get(sessionCookie()) ?? null;
    const ctx: CallContext = {
      client: { ip: clientAddress(req), userAgent: String(req.headers['user-agent'] ?? '') },
      session: { token: before },
    };
    const envelope = await app.router.dispatch(name, input, ctx);
    const headers: Record<string, string> = {};
    if (ctx.session.token !== before) {
      headers['Set-Cookie'] = ctx.session.token
        ? `${sessionCookie()}=${ctx.session.token}; ${cookieAttributes}`
        : `${sessionCookie()}=; ${cookieAttributes}; Max-Age=0`;
    }
    sendEnvelope(res, envelope, headers);
  }

  /** Drops a stream whose client stopped reading (or vanished): no byte moved for a while. */
  function dropWhenIdle(res: ServerResponse, what: string) {
    res.setTimeout(limits.streamIdleTimeoutMs, () => {
      logger.info(
        `Web host: dropped ${what} that moved nothing for ${limits.streamIdleTimeoutMs / 1000} s.`,
      );
      res.destroy();
    });
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse, cookies: Map<string, string>) {
    const sessionToken = cookies.get(sessionCookie());
    dropWhenIdle(res, 'an event stream');
    res.writeHead(200, {
      ...baseHeaders,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    openStreams.add(res);
    const unsubscribe = app.push.subscribe((message: PushMessage) => {
      if (message.sessionToken !== undefined && message.sessionToken !== sessionToken) return;
      res.write(`event: ${message.event}\ndata: ${JSON.stringify(message.payload)}\n\n`);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), limits.sseKeepAliveMs);
    res.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      openStreams.delete(res);
    });
  }

  /** An export, once, to the session that made it (the launch token alone is not enough). */
  function handleDownload(res: ServerResponse, id: string, cookies: Map<string, string>) {
    const token = cookies.get(sessionCookie());
    const file = token ? app.transfers.exports.claim(hashSessionToken(token), id) : null;
    if (!file) {
      sendError(
        res,
        404,
        { code: 'NOT_FOUND', message: 'This download is not available (any more).' },
        false,
      );
      return;
    }
    res.writeHead(200, {
      ...baseHeaders,
      'Cache-Control': 'no-store',
      'Content-Type': file.fileName.endsWith('.csv')
        ? 'text/csv; charset=utf-8'
        : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Content-Length': String(fs.statSync(file.path).size),
    });
    dropWhenIdle(res, 'a download');
    // pipeline, not pipe: a dropped client must close the file too, or it would stay open.
    pipeline(fs.createReadStream(file.path), res, () => fs.rmSync(file.path, { force: true }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isApi = url.pathname.startsWith('/api/');

    if (!isAllowedHost(req, port)) {
      sendError(res, 403, { code: 'FORBIDDEN', message: 'Host not allowed.' }, isApi);
      return;
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      sendError(
        res,
        403,
        { code: 'FORBIDDEN', message: 'Cross-site requests are refused.' },
        isApi,
      );
      return;
    }

    const cookies = parseCookies(req.headers.cookie);
    const queryToken = url.searchParams.get('token');
    if (req.method === 'GET' && url.pathname === '/' && queryToken !== null) {
      if (!safeEqual(queryToken, token)) {
        sendError(
          res,
          401,
          {
            code: 'UNAUTHENTICATED',
            message: 'This launch link is not valid. Open the URL org2fa serve printed.',
          },
          false,
        );
        return;
      }
      showedToken(req.socket);
      // Trade the token in the URL for a cookie, and drop it from the address bar and history.
      send(res, 303, '', {
        'Set-Cookie': `${launchCookie()}=${token}; ${cookieAttributes}`,
        Location: '/',
      });
      return;
    }

    const auth = launchAuth(req, cookies);
    if (auth === null || auth === 'bad-bearer') {
      sendError(
        res,
        401,
        {
          code: 'UNAUTHENTICATED',
          message: 'Missing or invalid launch token. Open the URL org2fa serve printed.',
        },
        isApi,
      );
      return;
    }
    showedToken(req.socket);

    if (isApi) {
      if (url.pathname === '/api/events') {
        if (req.method !== 'GET') {
          sendError(
            res,
            405,
            { code: 'INVALID_INPUT', message: 'Use GET for the event stream.' },
            true,
          );
          return;
        }
        handleEvents(req, res, cookies);
        return;
      }
      if (req.method !== 'POST') {
        sendError(res, 405, { code: 'INVALID_INPUT', message: 'Calls are made with POST.' }, true);
        return;
      }
      if (auth === 'cookie' && !isSameOriginJson(req, port)) {
        sendError(
          res,
          403,
          {
            code: 'FORBIDDEN',
            message: 'Calls from a browser must come from this console, as JSON.',
          },
          true,
        );
        return;
      }
      await handleCall(req, res, url.pathname.slice('/api/'.length), cookies);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, { code: 'INVALID_INPUT', message: 'Method not allowed.' }, false);
      return;
    }
    if (url.pathname.startsWith('/downloads/')) {
      handleDownload(res, url.pathname.slice('/downloads/'.length), cookies);
      return;
    }
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      sendError(res, 404, { code: 'NOT_FOUND', message: 'Not found.' }, false);
      return;
    }
    send(res, 200, req.method === 'HEAD' ? '' : file.body, { 'Content-Type': file.contentType });
  }

  /**
   * Connections that have not shown the launch token yet, oldest first. Past the cap the oldest
   * is closed, so new ones (a browser or script with the token among them) always get in.
   */
  const withoutToken = new Set<Socket>();
  function showedToken(socket: Socket) {
    withoutToken.delete(socket);
  }

  // requestTimeout counts until the request is fully received, never the handler's run: an
  // import or export answering after minutes is not cut. Streams have their own idle timeout.
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node checks the two timeouts above (its default, 30 s, would triple the first).
      connectionsCheckingInterval: Math.max(
        50,
        Math.min(1_000, Math.floor(limits.headersTimeoutMs / 5)),
      ),
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        logger.error('Web host request failed', error);
        if (!res.headersSent)
          sendError(res, 500, { code: 'INTERNAL', message: 'Internal error.' }, true);
        else res.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  server.on('connection', (socket: Socket) => {
    withoutToken.add(socket);
    socket.once('close', () => withoutToken.delete(socket));
    if (withoutToken.size > limits.maxConnectionsWithoutToken) {
      const oldest = withoutToken.values().next().value as Socket;
      withoutToken.delete(oldest);
      oldest.destroy();
    }
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return;
    socket.end(
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n'
        : 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n',
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of openStreams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
