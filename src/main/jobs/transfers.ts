import type { JobRunner } from './jobs';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../clock';
import { DomainError } from '../domain-error';

export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
const DOWNLOAD_TTL_MS = 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 1000;

/** How much one session may have uploading at once, and how long an upload may sit idle. */
export interface UploadLimits {
  /** Unfinished uploads one session may have open. */
  openPerSession: number;
  /** Bytes one session's open uploads may announce in all (so, at most, occupy on disk). */
  bytesPerSession: number;
  /** An upload that gets no chunk for this long is dropped and its file removed. */
  idleMs: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  openPerSession: 4,
  bytesPerSession: 4 * 1024 ** 3,
  idleMs: 15 * 60 * 1000,
};

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(2)} GB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MB`;
  return n === 1 ? '1 byte' : `${n.toLocaleString('en-US')} bytes`;
}

/** Runs `sweep` every minute without keeping the process alive; answers how to stop it. */
function everyMinute(sweep: () => void): () => void {
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** A file name safe to put in a path or a header: letters, digits, dot, dash, underscore. */
export function safeFileName(name: string): string {
  const cleaned = path
    .basename(name)
    .replace(/[^\w.-]+/g, '_')
    .slice(0, 120);
  return cleaned && !/^\.+$/.test(cleaned) ? cleaned : 'file';
}

/** A complete upload handed over for import. */
export interface TakenUpload {
  path: string;
  fileName: string;
  /** Removes the file and whatever its import wrote beside it (the rejected lines). */
  discard(): void;
}

/**
 * Files uploaded in chunks through ordinary calls (so every transport, and the router's access
 * rules, apply): each belongs to the session that began it, lives in its own folder inside a
 * private temp folder, and is removed once used, or once idle too long (by the app's clock).
 * A session may have only a few open at once, announcing a bounded number of bytes in all.
 */
export function createUploads(options: {
  clock: Clock;
  dir?: string;
  limits?: Partial<UploadLimits>;
}) {
  const { clock } = options;
  const limits = { ...DEFAULT_UPLOAD_LIMITS, ...options.limits };
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-uploads-'));
  fs.chmodSync(dir, 0o700);
  const uploads = new Map<
    string,
    {
      owner: string;
      fileName: string;
      folder: string;
      path: string;
      size: number;
      received: number;
      lastActivity: number;
    }
  >();
  const removeFolder = (folder: string) => fs.rmSync(folder, { recursive: true, force: true });
  const sweep = () => {
    const now = clock.now();
    for (const [id, upload] of uploads) {
      if (now - upload.lastActivity < limits.idleMs) continue;
      uploads.delete(id);
      removeFolder(upload.folder);
    }
  };
  const stopSweeping = everyMinute(sweep);
  const idleMinutes = Math.round(limits.idleMs / 60_000);
  const find = (owner: string, id: string) => {
    sweep();
    const upload = uploads.get(id);
    if (!upload || upload.owner !== owner) {
      throw new DomainError(
        'NOT_FOUND',
        `No such upload (it may have been used already, or dropped after ${idleMinutes} minutes without a chunk).`,
      );
    }
    return upload;
  };
  return {
    /** The private folder uploads live in. */
    dir,
    begin(owner: string, fileName: string, size: number): string {
      if (size > MAX_UPLOAD_BYTES)
        throw new DomainError('INVALID_INPUT', 'size: files up to 2 GB can be imported.');
      sweep();
      const open = [...uploads.values()].filter((upload) => upload.owner === owner);
      const meanwhile = `Finish one first, or wait ${idleMinutes} minutes for an abandoned one to be dropped.`;
      if (open.length >= limits.openPerSession) {
        throw new DomainError(
          'CONFLICT',
          `This session already has ${open.length} unfinished uploads, the most it may have open. ${meanwhile}`,
        );
      }
      const announced = open.reduce((sum, upload) => sum + upload.size, 0);
      if (announced + size > limits.bytesPerSession) {
        throw new DomainError(
          'CONFLICT',
          `size: this session's unfinished uploads already announce ${formatBytes(announced)}; ${formatBytes(size)} more is over the limit of ${formatBytes(limits.bytesPerSession)}. ${meanwhile}`,
        );
      }
      const id = randomUUID();
      const name = safeFileName(fileName);
      const folder = path.join(dir, id);
      fs.mkdirSync(folder, { mode: 0o700 });
      const file = path.join(folder, name);
      fs.writeFileSync(file, '', { mode: 0o600 });
      uploads.set(id, {
        owner,
        fileName: name,
        folder,
        path: file,
        size,
        received: 0,
        lastActivity: clock.now(),
      });
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
      upload.lastActivity = clock.now();
      return upload.received;
    },
    /** Hands over a complete upload; it leaves the registry, and its caller must `discard` it. */
    take(owner: string, id: string): TakenUpload {
      const upload = find(owner, id);
      if (upload.received !== upload.size) {
        throw new DomainError(
          'CONFLICT',
          `The upload is incomplete: ${upload.received} of ${upload.size} bytes.`,
        );
      }
      uploads.delete(id);
      return {
        path: upload.path,
        fileName: upload.fileName,
        discard: () => removeFolder(upload.folder),
      };
    },
    /** Drops an unfinished upload of this owner's (a cancelled one), with its file. */
    discard(owner: string, id: string): void {
      const upload = find(owner, id);
      uploads.delete(id);
      removeFolder(upload.folder);
    },
    close() {
      stopSweeping();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type Uploads = ReturnType<typeof createUploads>;

/**
 * Where finished exports (and an import's rejected lines) go. On the web host they wait in a
 * private folder for their owner's browser to fetch them once (an hour at most, by the app's
 * clock; then the file is removed); under Electron they are saved straight into the user's
 * Downloads folder.
 */
export function createExportsDestination(
  options: ({ mode: 'download' } | { mode: 'save'; dir: string }) & { clock: Clock },
) {
  const { clock } = options;
  const dir =
    options.mode === 'save'
      ? options.dir
      : fs.mkdtempSync(path.join(os.tmpdir(), 'org2fa-exports-'));
  if (options.mode === 'download') fs.chmodSync(dir, 0o700);
  const downloads = new Map<
    string,
    { owner: string; path: string; fileName: string; expires: number }
  >();
  const sweep = () => {
    const now = clock.now();
    for (const [id, download] of downloads) {
      if (download.expires > now) continue;
      downloads.delete(id);
      fs.rmSync(download.path, { force: true });
    }
  };
  const stopSweeping = everyMinute(sweep);
  const pathFor = (fileName: string): string => {
    const safe = safeFileName(fileName);
    let candidate = path.join(dir, safe);
    for (let n = 2; fs.existsSync(candidate); n++)
      candidate = path.join(dir, safe.replace(/(\.[^.]*)?$/, `-${n}$1`));
    return candidate;
  };
  return {
    mode: options.mode,
    /** Where finished files wait (private) or are saved (the Downloads folder). */
    dir,
    /** A fresh path for a new export, not overwriting anything. */
    pathFor,
    /** Moves a finished file written elsewhere in as `fileName` (made unique); answers its path. */
    async moveIn(file: string, fileName: string): Promise<string> {
      const target = pathFor(fileName);
      try {
        await fs.promises.rename(file, target);
      } catch (error) {
        // The Downloads folder may be on another file system than the temp folder.
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await fs.promises.copyFile(file, target, fs.constants.COPYFILE_EXCL);
        await fs.promises.rm(file, { force: true });
      }
      return target;
    },
    /** Registers a finished export for download by its owner; answers the URL to fetch it. */
    offer(owner: string, file: string): string | null {
      if (options.mode === 'save') return null;
      sweep();
      const id = randomUUID();
      downloads.set(id, {
        owner,
        path: file,
        fileName: path.basename(file),
        expires: clock.now() + DOWNLOAD_TTL_MS,
      });
      return `/downloads/${id}`;
    },
    /** The file behind a download URL for this owner, once; null if unknown, expired or not theirs. */
    claim(owner: string, id: string): { path: string; fileName: string } | null {
      sweep();
      const download = downloads.get(id);
      if (!download || download.owner !== owner) return null;
      downloads.delete(id);
      return { path: download.path, fileName: download.fileName };
    },
    close() {
      stopSweeping();
      if (options.mode === 'download') fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type ExportsDestination = ReturnType<typeof createExportsDestination>;

/** Long audit work and the files it reads and writes. */
export interface Transfers {
  jobs: JobRunner;
  uploads: Uploads;
  exports: ExportsDestination;
}
