import { useEffect, useRef } from 'react';
import type { PushEventName, PushPayload } from '../../../shared/push-events';
import { transport } from './transport';

/** Listens to one push event from main while the component is mounted. */
export function usePushEvent<E extends PushEventName>(
  event: E,
  listener: (payload: PushPayload<E>) => void,
) {
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => transport.on(event, (payload) => latest.current(payload)), [event]);
}
