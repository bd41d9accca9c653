import { queryOptions } from '@tanstack/react-query';
import type { CallInput, CallName, CallOutput } from '../../../shared/contract';
import { ApiError } from './api-error';
import { transport } from './transport';

/** Makes one contract call; resolves to its typed output or throws an ApiError. */
export async function callApi<N extends CallName>(
  name: N,
  input: CallInput<N>,
): Promise<CallOutput<N>> {
  const envelope = await transport.invoke(name, input);
  if (!envelope.ok) throw new ApiError(envelope.error);
  return envelope.data as CallOutput<N>;
}

/** Query key of a call: `[domain, call, input]`, e.g. `['auth', 'session', {}]`. */
export function callKey<N extends CallName>(name: N, input: CallInput<N>) {
  const [domain, verb] = name.split('.') as [string, string];
  return [domain, verb, input ?? {}] as const;
}

/** queryOptions for a read-only call, keyed by `callKey`. */
export function callQuery<N extends CallName>(name: N, input: CallInput<N>) {
  return queryOptions({
    queryKey: callKey(name, input),
    queryFn: () => callApi(name, input),
  });
}
