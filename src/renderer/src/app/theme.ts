import { createTheme, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 6 on white is 4.4:1; buttons and links need WCAG AA's 4.5:1.
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'md',
  // People who asked their system for less motion get no transitions.
  respectReducedMotion: true,
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '700' },
  components: {
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } } },
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    Alert: { defaultProps: { closeButtonLabel: 'Dismiss' } },
  },
});

/**
 * Mantine's default "dimmed" grey is below WCAG AA contrast for small text on white; admins read
 * dense tables, so secondary and error text are darker (lighter in the dark theme).
 */
/**
 * Text on "light" variant surfaces (alerts, badges). Mantine's shade 9 of orange, yellow and
 * green still falls short of 4.5:1 on their tinted backgrounds, so those get deeper tones.
 */
const LIGHT_VARIANT_TEXT_LIGHT: Record<string, string> = {
  red: 'var(--mantine-color-red-9)',
  orange: '#9c3a06',
  yellow: '#7a4a00',
  green: '#1b5e20',
  teal: 'var(--mantine-color-teal-9)',
  blue: 'var(--mantine-color-blue-9)',
  indigo: 'var(--mantine-color-indigo-9)',
  gray: 'var(--mantine-color-gray-9)',
};

function lightVariantText(scheme: 'light' | 'dark'): Record<string, string> {
  return Object.fromEntries(
    Object.entries(LIGHT_VARIANT_TEXT_LIGHT).flatMap(([color, light]) =>
      scheme === 'light'
        ? [
            [`--mantine-color-${color}-light-color`, light],
            [`--mantine-color-${color}-outline`, `var(--mantine-color-${color}-9)`],
            // Filled buttons and badges: white text needs the deepest shade.
            [`--mantine-color-${color}-filled`, `var(--mantine-color-${color}-9)`],
            // Hovered light surfaces stay pale enough for that text.
            [`--mantine-color-${color}-light-hover`, `var(--mantine-color-${color}-1)`],
          ]
        : [
            [`--mantine-color-${color}-light-color`, `var(--mantine-color-${color}-3)`],
            [`--mantine-color-${color}-filled`, `var(--mantine-color-${color}-9)`],
          ],
    ),
  );
}

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    ...lightVariantText('light'),
    '--mantine-color-anchor': 'var(--mantine-color-indigo-8)',
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    // Placeholders carry meaning ("Any status"): AA contrast, yet lighter than entered text.
    '--mantine-color-placeholder': '#6b7178',
    '--org2fa-eyebrow': 'var(--mantine-color-indigo-8)',
  },
  dark: {
    ...lightVariantText('dark'),
    '--mantine-color-anchor': 'var(--mantine-color-indigo-3)',
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-error': 'var(--mantine-color-red-4)',
    '--mantine-color-placeholder': 'var(--mantine-color-dark-1)',
    '--org2fa-eyebrow': 'var(--mantine-color-indigo-2)',
  },
});
