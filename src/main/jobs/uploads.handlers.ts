import type { CallsOf, HandlerSlice } from '../router';
import { ownerOf, type HandlerDeps } from '../handler-context';

/** Files sent to main in chunks, owned by the session that began them. */
export function uploadsHandlers({ transfers }: HandlerDeps) {
  return {
    'uploads.begin': (input, ctx) => ({
      uploadId: transfers.uploads.begin(ownerOf(ctx), input.fileName, input.size),
    }),

    'uploads.append': (input, ctx) => ({
      received: transfers.uploads.append(
        ownerOf(ctx),
        input.uploadId,
        input.offset,
        Buffer.from(input.data, 'base64'),
      ),
    }),

    'uploads.discard': (input, ctx) => {
      transfers.uploads.discard(ownerOf(ctx), input.uploadId);
      return {};
    },
  } satisfies HandlerSlice<CallsOf<'uploads'>>;
}
