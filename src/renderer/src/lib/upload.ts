import { callApi } from '../api/client';

/** 512 KiB per call: under the web host's 1 MB body limit once base64-encoded. */
const CHUNK_BYTES = 512 * 1024;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Sends a file to main in chunks through ordinary calls, so the same path works over IPC and
 * HTTP and the router checks every chunk. Reports bytes sent; stops when `signal` aborts.
 */
export async function uploadFile(
  file: File,
  onProgress: (sent: number) => void,
  signal: AbortSignal,
): Promise<string> {
  const { uploadId } = await callApi('uploads.begin', { fileName: file.name, size: file.size });
  try {
    for (let offset = 0; offset < file.size; offset += CHUNK_BYTES) {
      if (signal.aborted) throw new DOMException('Upload cancelled', 'AbortError');
      const chunk = new Uint8Array(await file.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
      await callApi('uploads.append', { uploadId, offset, data: toBase64(chunk) });
      onProgress(Math.min(file.size, offset + CHUNK_BYTES));
    }
  } catch (error) {
    // A cancelled or failed upload is dropped at once rather than left to count against the
    // session's open uploads until it expires.
    await callApi('uploads.discard', { uploadId }).catch(() => undefined);
    throw error;
  }
  return uploadId;
}
