import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Parses a Cookie header into name → value (first occurrence wins). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The two Host header values a loopback browser or script may send; anything else is rebinding. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/** A cookie-authenticated write must come from our own origin, as JSON (no simple form posts). */
export function isSameOriginJson(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  return (
    origin !== undefined &&
    allowedHosts(port).some((host) => origin === `http://${host}`) &&
    origin === `http://${(req.headers.host ?? '').toLowerCase()}` &&
    contentType === 'application/json'
  );
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so audit rows show the address people recognise. */
export function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
