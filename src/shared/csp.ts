/**
 * The renderer's Content Security Policy: no inline or eval'd script, nothing from other
 * origins. Inline styles stay allowed because the component library injects its theme variables
 * at run time. Put into index.html at build time and sent as a header by the web host.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ');
