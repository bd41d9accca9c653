import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DomainError } from '../domain-error';

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
const DOWNLOAD_TTL_MS = 60 * 60 * 1000;

/** A file name safe to put in a path or a header: letters, digits, dot, dash, underscore. */
export function safeFileName(name: string): string {
  const cleaned = path
    .basename(name)
    .replace(/[^\w.-]+/g, '_')
    .slice(0, 120);
  return cleaned && !/^\.+$/.test(cleaned) ? cleaned : 'file';
}

/**
 * Files uploaded in chunks through ordinary calls (so every transport, and the router's access
 * rules, apply): each belongs to the session that began it, lives in a private temp folder,
 * and is removed once used.
 */
export function createUploads(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-uploads-'))) {
  fs.chmodSync(dir, 0o700);
  const uploads = new Map<
    string,
    { owner: string; fileName: string; path: string; size: number; received: number }
  >();
  const find = (owner: string, id: string) => {
    const upload = uploads.get(id);
    if (!upload || upload.owner !== owner)
      throw new DomainError('NOT_FOUND', 'No such upload (it may have been used already).');
    return upload;
  };
  return {
    begin(owner: string, fileName: string, size: number): string {
      if (size > MAX_UPLOAD_BYTES)
        throw new DomainError('INVALID_INPUT', 'size: files up to 2 GB can be imported.');
      const id = randomUUID();
      const name = safeFileName(fileName);
      const file = path.join(dir, `${id}-${name}`);
      fs.writeFileSync(file, '', { mode: 0o600 });
      uploads.set(id, { owner, fileName: name, path: file, size, received: 0 });
      return id;
    },
    append(owner: string, id: string, offset: number, data: Buffer): number {
      const upload = find(owner, id);
      if (offset !== upload.received) {
        throw new DomainError(
          'CONFLICT',
          `Expected the chunk at byte ${upload.received}, got ${offset}.`,
        );
      }
      if (upload.received + data.length > upload.size)
        throw new DomainError('INVALID_INPUT', 'More data than the size announced.');
      fs.appendFileSync(upload.path, data);
      upload.received += data.length;
      return upload.received;
    },
    /** Hands over a complete upload; it is gone from the registry (and disk, by `remove`). */
    take(owner: string, id: string): { path: string; fileName: string } {
      const upload = find(owner, id);
      if (upload.received !== upload.size) {
        throw new DomainError(
          'CONFLICT',
          `The upload is incomplete: ${upload.received} of ${upload.size} bytes.`,
        );
      }
      uploads.delete(id);
      return { path: upload.path, fileName: upload.fileName };
    },
    remove(file: string) {
      fs.rmSync(file, { force: true });
    },
    close() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type Uploads = ReturnType<typeof createUploads>;

/**
 * Where finished exports go. On the web host they wait in a private folder for their owner's
 * browser to fetch them once (an hour at most); under Electron they are saved straight into the
 * user's Downloads folder.
 */
export function createExportsDestination(
  options: { mode: 'download' } | { mode: 'save'; dir: string },
) {
  const dir =
    options.mode === 'save'
      ? options.dir
      : fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-exports-'));
  if (options.mode === 'download') fs.chmodSync(dir, 0o700);
  const downloads = new Map<
    string,
    { owner: string; path: string; fileName: string; expires: number }
  >();
  return {
    mode: options.mode,
    /** A fresh path for a new export, not overwriting anything. */
    pathFor(fileName: string): string {
      const safe = safeFileName(fileName);
      let candidate = path.join(dir, safe);
      for (let n = 2; fs.existsSync(candidate); n++)
        candidate = path.join(dir, safe.replace(/(\.[^.]*)?$/, `-${n}$1`));
      return candidate;
    },
    /** Registers a finished export for download by its owner; answers the URL to fetch it. */
    offer(owner: string, file: string): string | null {
      if (options.mode === 'save') return null;
      const id = randomUUID();
      downloads.set(id, {
        owner,
        path: file,
        fileName: path.basename(file),
        expires: Date.now() + DOWNLOAD_TTL_MS,
      });
      return `/downloads/${id}`;
    },
    /** The file behind a download URL for this owner, once; null if unknown, expired or not theirs. */
    claim(owner: string, id: string): { path: string; fileName: string } | null {
      const download = downloads.get(id);
      if (!download || download.owner !== owner) return null;
      downloads.delete(id);
      return download.expires > Date.now()
        ? { path: download.path, fileName: download.fileName }
        : null;
    },
    close() {
      if (options.mode === 'download') fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type ExportsDestination = ReturnType<typeof createExportsDestination>;
