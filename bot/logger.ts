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
      serializers: { err: serializeError },
    },
    destination,
  );
}

/**
 * Log lines a person can read, for a bot started in a terminal (npm start, npm run dev); anything
 * else (a container, a log collector, tests) gets pino's JSON lines. Same fields and redaction.
 */
export async function prettyDestination(): Promise<pino.DestinationStream> {
  const { default: pretty } = await import('pino-pretty');
  return pretty({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,app',
    singleLine: true,
  });
}

/**
 * What an error may put in a log line: its type, message, stack and codes, nothing else (an HTTP
 * client's error can carry the request it sent, with a person's words in the body). Messages and
 * stacks lose the excerpt of the input that JSON.parse quotes ("Unexpected token ..., "…" is not
 * valid JSON"), which for a damaged stored document would be a piece of someone's notes.
 * pino's own serializer would also replace a `type` given by the caller with "Object".
 */
function serializeError(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const e = value as Record<string, unknown>;
  const type =
    typeof e.type === 'string'
      ? e.type
      : value instanceof Error
        ? value.constructor.name || value.name
        : undefined;
  const out: Record<string, unknown> = { type };
  if (typeof e.message === 'string') out.message = scrubQuotedInput(e.message);
  if (typeof e.stack === 'string') out.stack = scrubQuotedInput(e.stack);
  for (const key of ['code', 'statusCode', 'status']) {
    if (typeof e[key] === 'string' || typeof e[key] === 'number') out[key] = e[key];
  }
  return out;
}

/** Drops the excerpt of the parsed text that V8 puts in JSON.parse errors. */
function scrubQuotedInput(text: string): string {
  return text.replace(
    /(^|: |Unexpected token .{0,12}?, )(?:\.\.\.)?".*?"(?:\.\.\.)? is not valid JSON/gm,
    '$1"…" is not valid JSON',
  );
}
