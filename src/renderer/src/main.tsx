import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import './app/print.css';
import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { isApiError } from './api/api-error';
import { callKey } from './api/client';
import { router } from './app/routes';
import { cssVariablesResolver, theme } from './app/theme';

/**
 * A call refused because the session ended or now owes 2FA setup (an admin just required it)
 * means the session has changed under us: re-read it, and the gate moves the user on.
 */
function onCallError(error: unknown) {
  if (isApiError(error, 'UNAUTHENTICATED') || isApiError(error, 'TWO_FACTOR_SETUP_REQUIRED')) {
    void queryClient.invalidateQueries({ queryKey: callKey('auth.session', {}) });
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onCallError }),
  mutationCache: new MutationCache({ onError: onCallError }),
  defaultOptions: {
    queries: {
      // A refused call will be refused again; only transport hiccups are worth a retry.
      retry: (failureCount, error) => !isApiError(error) && failureCount < 2,
      refetchOnWindowFocus: true,
      staleTime: 5_000,
    },
  },
});

const colorSchemeManager = localStorageColorSchemeManager({ key: 'org2fa-color-scheme' });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      defaultColorScheme="auto"
      colorSchemeManager={colorSchemeManager}
    >
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
