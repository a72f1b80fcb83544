import { Cron } from 'croner';
import { z } from 'zod';
import {
  DEFAULT_LOCALE,
  DEFAULT_TIME_ZONE,
  isSupportedLocale,
  isSupportedTimeZone,
} from './core/calendar.js';

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const optionalTimeZone = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .refine(isSupportedTimeZone, 'must be an IANA time zone this Node.js knows, such as Europe/London')
    .optional(),
);

/** Whether croner reads the text as a schedule (it throws on one it cannot). */
function isCronPattern(text: string): boolean {
  try {
    new Cron(text, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A comma-separated list of Entra object ids, lower-cased so that a copy in capitals still matches. */
const objectIdList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter((s) => s !== '')
      : v,
  z.array(z.string().regex(GUID, 'must be Entra object ids (GUIDs), separated by commas')).default([]),
);

/** Every configuration key with its type and default; the rules across keys are in ConfigSchema. */
export const ConfigShape = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: optionalString,
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z
    .preprocess(emptyAsUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional())
    .default('MultiTenant'),
  MicrosoftAppTenantId: optionalString,
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./.data')),
  STORAGE: z.preprocess(emptyAsUndefined, z.enum(['lowdb', 'blob', 'memory']).default('lowdb')),
  AZURE_STORAGE_CONNECTION_STRING: optionalString,
  AZURE_STORAGE_CONTAINER: z.preprocess(emptyAsUndefined, z.string().default('coding-auditor-bot')),
  DIGEST_CRON: z.preprocess(emptyAsUndefined, z.string().default('0 8 * * 1')),
  /** The zone the bot works in: "today", digest weeks and schedules, the question log's days. */
  TIME_ZONE: optionalTimeZone,
  /** The older name of TIME_ZONE, still honoured when TIME_ZONE is not set. */
  DIGEST_TZ: optionalTimeZone,
  /** Bearer secret for the external scheduler's POST /api/digest and POST /api/reminders. */
  DIGEST_TRIGGER_SECRET: optionalString,
  /** When reminder passes run in process (in TIME_ZONE); each person still gets them in their own working hours. */
  REMINDERS_CRON: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine(isCronPattern, 'must be a cron pattern, such as 0 * * * * (hourly)')
      .default('0 * * * *'),
  ),
  REMINDERS_PER_WEEK: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(20).default(3)),
  REASSESS_MONTHS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(36).default(6)),
  BOT_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  EXPORT_LINK_SECRET: optionalString,
  RETENTION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().optional()),
  CONTENT_OWNERS: objectIdList,
  QUESTION_LOG_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(90)),
  /** Entra object ids of the people who see the organisation tab (aggregates only). */
  ORG_VIEWERS: objectIdList,
  /** Where the tabs' sign-in keys are published; Microsoft Entra ID's unless told (tests serve their own). */
  TAB_JWKS_URL: z.preprocess(
    emptyAsUndefined,
    z.url().default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
  ),
  RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(60)),
  PROACTIVE_REQUESTS_PER_SECOND: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(50).default(40),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  BOT_NAME: z.preprocess(emptyAsUndefined, z.string().max(30).default('Coding Auditor')),
  LOCALE: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine(isSupportedLocale, 'must be a locale this Node.js knows, such as en-GB')
      .default(DEFAULT_LOCALE),
  ),
});

const ConfigSchema = ConfigShape.superRefine((c, ctx) => {
  if (c.STORAGE === 'blob' && !c.AZURE_STORAGE_CONNECTION_STRING) {
    ctx.addIssue({
      code: 'custom',
      path: ['AZURE_STORAGE_CONNECTION_STRING'],
      message: 'is required when STORAGE=blob',
    });
  }
  if (c.MicrosoftAppId && c.MicrosoftAppType !== 'UserAssignedMSI' && !c.MicrosoftAppPassword) {
    ctx.addIssue({
      code: 'custom',
      path: ['MicrosoftAppPassword'],
      message: 'is required with MicrosoftAppId',
    });
  }
  if (c.MicrosoftAppType === 'SingleTenant' && c.MicrosoftAppId && !c.MicrosoftAppTenantId) {
    ctx.addIssue({
      code: 'custom',
      path: ['MicrosoftAppTenantId'],
      message: 'is required when MicrosoftAppType=SingleTenant',
    });
  }
});

export type Config = z.infer<typeof ConfigSchema> & {
  /** Local mode: no app id, so no Bot Framework authentication; only loopback unless HOST says otherwise. */
  localMode: boolean;
  listenHost: string;
  /** TIME_ZONE, else DIGEST_TZ, else Europe/London: the one zone the bot works in. */
  timeZone: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * What packaging the Teams app needs: the app id, the public address and the name. Packaging never
 * needs the bot's secret, so the rules that tie the secret to the app id do not apply here.
 */
const PackagingConfigSchema = ConfigShape.pick({
  MicrosoftAppId: true,
  BOT_PUBLIC_URL: true,
  BOT_NAME: true,
});
export type PackagingConfig = z.infer<typeof PackagingConfigSchema>;

export async function readPackagingConfig(): Promise<PackagingConfig> {
  const dotenv = await import('dotenv');
  dotenv.config({ quiet: true });
  const result = PackagingConfigSchema.safeParse(process.env);
  if (!result.success)
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  return result.data;
}

/** Parses an environment record; throws ConfigError listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const c = result.data;
  const localMode = !c.MicrosoftAppId;
  return {
    ...c,
    localMode,
    listenHost: c.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    timeZone: c.TIME_ZONE ?? c.DIGEST_TZ ?? DEFAULT_TIME_ZONE,
  };
}

/** Reads `.env` (if present) and the process environment, once, at start-up. */
export async function readConfig(): Promise<Config> {
  const dotenv = await import('dotenv');
  dotenv.config({ quiet: true });
  return parseConfig(process.env);
}
