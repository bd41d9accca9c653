import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp';

/** The page the desktop window loads from file:// (built by `npm run build`, before the tests). */
const builtPage = path.resolve('out/renderer/index.html');

describe('the built console page (what the Electron window loads)', () => {
  const html = fs.readFileSync(builtPage, 'utf8');

  it('carries the strict Content Security Policy as its first meta element', () => {
    const metas = [
      ...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g),
    ];
    expect(metas.map((m) => m[1])).toEqual([CONTENT_SECURITY_POLICY]);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('has no inline script and loads scripts only from its own files', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body!.trim()).toBe('');
      expect(attributes).toMatch(/src="\.\/assets\/[\w.-]+\.js"/);
    }
  });
});
