import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import { COMMANDS, type CommandSpec, type Scope } from '../core/commands.js';
import { TAB_PAGES, tabResource } from '../core/tabs/tabApp.js';

/*
 * The Teams app manifest (v1.30), generated rather than templated: the bot's command menus come
 * from the same command table as the help card, so the menu never promises a command the bot does
 * not know. validateManifest checks it against Microsoft's published schema.
 */

const MANIFEST_VERSION = '1.30';
const MANIFEST_SCHEMA_URL =
  'https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json';

/** Teams' documented limits for bot menus (the v1.30 schema is looser: 12 commands, 128/4000 chars). */
export const MAX_COMMANDS_PER_LIST = 10;
export const MAX_COMMAND_TITLE = 32;
export const MAX_COMMAND_DESCRIPTION = 128;

const BOT_SCOPES: readonly Scope[] = ['personal', 'team', 'groupChat'];

/** Where the commands of each list are offered: after an @mention and in the / slash-command list. */
const COMMAND_TRIGGERS = ['mention', 'slash'] as const;

const PLACEHOLDER_URL = 'https://example.com/coding-auditor-bot';
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

interface ManifestCommand {
  title: string;
  description: string;
}

interface ManifestCommandList {
  scopes: Scope[];
  triggers: Array<(typeof COMMAND_TRIGGERS)[number]>;
  commands: ManifestCommand[];
}

export interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots: Array<{
    botId: string;
    scopes: Scope[];
    supportsFiles: boolean;
    isNotificationOnly: boolean;
    supportsTargetedMessages: boolean;
    commandLists: ManifestCommandList[];
  }>;
  staticTabs?: Array<{
    entityId: string;
    name?: string;
    contentUrl?: string;
    websiteUrl?: string;
    scopes: ['personal'];
    context?: ['personalTab'];
  }>;
  webApplicationInfo?: { id: string; resource: string };
  validDomains?: string[];
}

export interface ManifestOptions {
  appId: string;
  botName: string;
  publicUrl?: string;
  version?: string;
  /** The command table; defaults to the bot's own. */
  commands?: readonly CommandSpec[];
}

export class ManifestError extends Error {
  constructor(readonly problems: string[]) {
    super(`The Teams manifest cannot be generated:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

const DESCRIPTION_SHORT = 'Framework Q&A, self-assessment, gaps, eligibility and weekly manager digests';

const DESCRIPTION_FULL = [
  'A Teams assistant for NHS clinical coders and their line managers, built on the Clinical Coding Auditor Competency Framework.',
  'Ask questions about the framework, the competency areas CC1 to CC5, the auditor and trainer programmes (CCAP, CCTP) and the Level 3 apprenticeship, with answers that cite their sources.',
  'Take a self-assessment against the framework statements, see your results and what changed, and find your gaps with the line-manager activities and resources that address them.',
  'Check your eligibility for CCAP, CCTP or the apprenticeship and see what is missing.',
  'Line managers receive a weekly digest of the gaps of the coders who share their results with them, with suggested activities.',
].join(' ');

/** Builds the v1.30 manifest; throws ManifestError when the command table breaks Teams' menu limits. */
export function buildManifest(opts: ManifestOptions): TeamsManifest {
  const version = opts.version ?? '1.0.0';
  const problems: string[] = [];
  if (!SEMVER.test(version)) problems.push(`version "${version}" is not MAJOR.MINOR.PATCH`);
  if (opts.botName.length === 0 || opts.botName.length > 30) {
    problems.push(`bot name "${opts.botName}" must be 1 to 30 characters (name.short)`);
  }

  let base: string | undefined;
  let host: string | undefined;
  if (opts.publicUrl) {
    try {
      const url = new URL(opts.publicUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
      base = url.href.replace(/\/+$/, '');
      host = url.hostname;
    } catch {
      problems.push(`public URL "${opts.publicUrl}" is not an http(s) URL`);
    }
  }

  const commandLists = buildCommandLists(opts.commands ?? COMMANDS, problems);
  if (problems.length) throw new ManifestError(problems);

  const site = base ?? PLACEHOLDER_URL;
  return {
    $schema: MANIFEST_SCHEMA_URL,
    manifestVersion: MANIFEST_VERSION,
    version,
    id: opts.appId,
    developer: {
      name: 'NHS Clinical Coding Tools',
      websiteUrl: site,
      privacyUrl: `${site}/privacy`,
      termsOfUseUrl: `${site}/terms`,
    },
    name: { short: opts.botName, full: 'Clinical Coding Auditor Competency assistant' },
    description: { short: DESCRIPTION_SHORT, full: DESCRIPTION_FULL },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#005EB8',
    bots: [
      {
        botId: opts.appId,
        scopes: [...BOT_SCOPES],
        supportsFiles: false,
        isNotificationOnly: false,
        supportsTargetedMessages: true,
        commandLists,
      },
    ],
    // The tabs are pages of the bot's own server, so they exist only where it has a public address.
    ...(base
      ? {
          // "conversations" keeps the bot's chat as the app's first tab beside the pages.
          staticTabs: [
            { entityId: 'conversations', scopes: ['personal'] as ['personal'] },
            ...TAB_PAGES.map((t) => ({
              entityId: t.entityId,
              name: t.name,
              contentUrl: `${base}/tabs/${t.page}?theme={theme}`,
              websiteUrl: `${base}/tabs/${t.page}`,
              scopes: ['personal'] as ['personal'],
              context: ['personalTab'] as ['personalTab'],
            })),
          ],
          webApplicationInfo: { id: opts.appId, resource: tabResource(opts.appId, base) },
        }
      : {}),
    ...(host ? { validDomains: [host] } : {}),
  };
}

/** One list per scope, the table's commands whose menu includes that scope, in table order. */
function buildCommandLists(commands: readonly CommandSpec[], problems: string[] = []): ManifestCommandList[] {
  const lists: ManifestCommandList[] = [];
  const reported = new Set<string>();
  for (const scope of BOT_SCOPES) {
    const inScope = commands.filter((c) => c.menu.includes(scope));
    if (inScope.length === 0) continue;
    if (inScope.length > MAX_COMMANDS_PER_LIST) {
      problems.push(
        `the ${scope} command menu has ${inScope.length} commands (${inScope.map((c) => c.name).join(', ')}); ` +
          `Teams allows at most ${MAX_COMMANDS_PER_LIST}: remove ${scope} from some commands' menu in bot/core/commands.ts`,
      );
    }
    for (const c of inScope) {
      if (reported.has(c.name)) continue;
      if (c.name.length === 0 || c.name.length > MAX_COMMAND_TITLE) {
        problems.push(
          `command "${c.name}": title is ${c.name.length} characters (1 to ${MAX_COMMAND_TITLE})`,
        );
        reported.add(c.name);
      }
      if (c.help.length === 0 || c.help.length > MAX_COMMAND_DESCRIPTION) {
        problems.push(
          `command "${c.name}": description is ${c.help.length} characters (1 to ${MAX_COMMAND_DESCRIPTION})`,
        );
        reported.add(c.name);
      }
    }
    lists.push({
      scopes: [scope],
      triggers: [...COMMAND_TRIGGERS],
      commands: inScope.map((c) => ({ title: c.name, description: c.help })),
    });
  }
  return lists;
}

// ajv-draft-04 and ajv-formats are CommonJS with `exports.default`; under NodeNext the default
// import is module.exports (the class / plugin itself at run time, the namespace to the compiler).
type Ajv04Class = typeof import('ajv-draft-04').default;
type FormatsPlugin = typeof import('ajv-formats').default;
const Ajv04 =
  (Ajv04Module as unknown as { default?: Ajv04Class }).default ?? (Ajv04Module as unknown as Ajv04Class);
const addFormats =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

/** The project's own folder (the parent of bot/), whether running from source or from dist/. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.basename(dir) !== 'bot') {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('bot/teams/manifest.ts is not inside a bot/ folder');
    dir = up;
  }
  const root = path.dirname(dir);
  return path.basename(root) === 'dist' ? path.dirname(root) : root;
}

/** Microsoft's published v1.30 schema, kept unchanged in ../shared/schemas/. */
function manifestSchemaPath(): string {
  return path.resolve(projectRoot(), '..', 'shared', 'schemas', 'teams-manifest.schema.json');
}

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(manifestSchemaPath(), 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '(root)';
  const extra =
    e.keyword === 'additionalProperties'
      ? ` "${String((e.params as { additionalProperty?: unknown }).additionalProperty)}"`
      : e.keyword === 'enum'
        ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`
        : '';
  return `${where}: ${e.message ?? e.keyword}${extra}`;
}

/** Validates against the official Teams v1.30 manifest schema; errors are "path: message". */
export function validateManifest(manifest: unknown): { valid: boolean; errors: string[] } {
  const validate = schemaValidator();
  const valid = validate(manifest);
  const errors = valid ? [] : [...new Set((validate.errors ?? []).map(describe))];
  return { valid, errors };
}
