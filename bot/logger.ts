import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs carry ids and event names only. Message text, names and notes never reach a log
 * line at any level: the redaction below is a second line of defence, not the first.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'coding-auditor-bot' },
      redact: {
        paths: ['text', 'name', 'note', 'notes', 'activity.text', 'activity.from.name', '*.text', '*.name'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
