/** The job name that stands for the whole registry, as the console runs it (one finding per attack). */
export const CONSOLE_RUN = '(console)';
