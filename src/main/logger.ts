/** Where main reports its own failures. Never pass call inputs: they carry passwords and codes. */
export interface Logger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (message) => console.error(message),
  error: (message, error) =>
    console.error(message, error instanceof Error ? (error.stack ?? error.message) : (error ?? '')),
};

export const silentLogger: Logger = { info: () => {}, error: () => {} };
