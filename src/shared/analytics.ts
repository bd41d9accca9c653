/** How serious a finding is; the findings panel colours by it. */
export const severities = ['low', 'medium', 'high'] as const;
