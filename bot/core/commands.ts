/** Where a command may be offered in Teams' command menu. */
export type Scope = 'personal' | 'team' | 'groupChat';

export interface CommandSpec<N extends string = string> {
  name: N;
  /** Anchored, case-insensitive; named groups become the command's arguments. */
  pattern: RegExp;
  /** Shown in the help card and as the manifest command's description (at most 128 characters). */
  help: string;
  /** What to type, for the help card ("/competency CC2d"). */
  usage: string;
  /** Menu scopes in the app manifest; empty keeps it out of the menu but still answered. */
  menu: readonly Scope[];
  /** Answers that concern one person: in a channel or group chat they continue in personal chat. */
  personal: boolean;
  /**
   * Typed without the slash, arguments like these make it a question rather than this command
   * ("manager activities for CC1" asks about activities; "manager Sam Patel" names a manager).
   */
  questionWithoutSlash?: RegExp;
}

const ALL: Scope[] = ['personal', 'team', 'groupChat'];

/**
 * The command table: first match wins, help last. The help card and the manifest's commandLists
 * are both generated from it, so the menu never promises a command the bot does not know.
 */
export const COMMANDS = commandTable([
  {
    name: 'ask',
    pattern: /^\/?ask(?:\s+(?<query>[\s\S]+))?$/i,
    help: 'Ask a question about the framework, the programmes or the apprenticeship',
    usage: '/ask what does CC2 cover?',
    menu: ALL,
    personal: false,
  },
  {
    name: 'areas',
    pattern: /^\/?areas?$/i,
    help: 'List the five competency areas (CC1 to CC5) and their sub-areas',
    usage: '/areas',
    menu: ALL,
    personal: false,
  },
  {
    name: 'competency',
    pattern: /^\/?competenc(?:y|ies)(?:\s+(?<query>[\s\S]+))?$/i,
    help: 'Show a competency area or sub-area with its statements and levels: CC2, CC2d or words',
    usage: '/competency CC2d',
    menu: ALL,
    personal: false,
  },
  {
    name: 'activities',
    pattern:
      /^\/?activit(?:y|ies)(?:\s+(?<area>cc\s*[1-5]))?(?:\s+(?<level>trainees?|approved))?(?:\s+(?:page\s*)?(?<page>\d{1,2}))?$/i,
    help: 'Suggested line-manager activities for an area and level, or for your own gaps',
    usage: '/activities CC3 trainee',
    menu: ALL,
    personal: false,
  },
  {
    name: 'assess',
    pattern: /^\/?(?:assess|self-?assess(?:ment)?)$/i,
    help: 'Start or resume your self-assessment against the framework',
    usage: '/assess',
    menu: ALL,
    personal: true,
  },
  {
    name: 'results',
    pattern: /^\/?results?$/i,
    help: 'Your latest self-assessment results, with what changed',
    usage: '/results',
    menu: ['personal'],
    personal: true,
  },
  {
    name: 'gaps',
    pattern: /^\/?gaps?$/i,
    help: 'Your gaps with the line-manager activities and resources that address them',
    usage: '/gaps',
    menu: ['personal'],
    personal: true,
  },
  {
    name: 'eligibility',
    pattern: /^\/?eligib(?:ility|le)(?:\s+(?<query>[\s\S]+))?$/i,
    help: 'Can I apply for CCAP, CCTP or the Level 3 apprenticeship? Check what is missing',
    usage: '/eligibility',
    menu: ALL,
    personal: true,
  },
  {
    name: 'manager',
    pattern: /^\/?manager(?:\s+(?<who>[\s\S]+))?$/i,
    help: 'See, name or change the line manager who sees your results',
    usage: '/manager @Name',
    menu: ['personal'],
    personal: true,
    questionWithoutSlash:
      /\b(?:activit\w*|help\w*|support\w*|suggest\w*|what|how|why|can|could|should|would|do|does|for|about|with|to|is|are|cc\s*[1-5])\b|\?/i,
  },
  {
    name: 'reminders',
    pattern: /^\/?reminders?$/i,
    help: 'Your reminders: what is coming and when, and turning each kind off or on',
    usage: '/reminders',
    // The personal menu holds ten commands and is full; /reminders is in help and on every reminder.
    menu: [],
    personal: true,
  },
  {
    name: 'digest',
    pattern: /^\/?digest$/i,
    help: "Managers: this week's digest of your coders' gaps, now",
    usage: '/digest',
    menu: [],
    personal: true,
  },
  {
    name: 'team',
    pattern: /^\/?team$/i,
    help: 'Managers: an overview of the coders who share their results with you',
    usage: '/team',
    menu: [],
    personal: true,
  },
  {
    name: 'plan',
    pattern: /^\/?plan$/i,
    help: 'Your development plan: activities for your gaps, with dates, agreed with your line manager',
    usage: '/plan',
    // Teams' personal menu holds ten commands; /help lists this one.
    menu: [],
    personal: true,
  },
  {
    name: 'review',
    pattern: /^\/?reviews?$/i,
    help: "Managers: review a coder's completed self-assessment, agreeing or rating each sub-area",
    usage: '/review',
    menu: [],
    personal: true,
  },
  {
    name: 'export',
    pattern: /^\/?export$/i,
    help: "Managers: download your team's statement-level results as CSV and Excel",
    usage: '/export',
    menu: [],
    personal: true,
  },
  {
    name: 'unanswered',
    pattern: /^\/?unanswered$/i,
    help: 'Content owners: questions the bot could not answer, most frequent first',
    usage: '/unanswered',
    // Teams allows ten commands in a menu and the personal one is full; like /digest, it is for a few people.
    menu: [],
    personal: true,
  },
  {
    name: 'mydata',
    pattern: /^\/?my-?data$/i,
    help: 'Everything the bot holds about you, as a file',
    usage: '/mydata',
    menu: [],
    personal: true,
  },
  {
    name: 'forget',
    pattern: /^\/?forget(?:\s+me)?$/i,
    help: 'Erase everything the bot holds about you (asks first)',
    usage: '/forget',
    menu: [],
    personal: true,
  },
  {
    name: 'help',
    pattern: /^\/?(?:help|\?|commands|menu|start)$/i,
    help: 'What this bot can do, with buttons',
    usage: '/help',
    menu: ALL,
    personal: false,
  },
]);

/** Every command the bot answers, as the compiler knows them: handlers are keyed by these names. */
export type CommandName = (typeof COMMANDS)[number]['name'];

/** Keeps each command's name as a literal type, so the command table is the one list of names. */
function commandTable<const N extends string>(table: readonly CommandSpec<N>[]): readonly CommandSpec<N>[] {
  return table;
}

export interface CommandMatch {
  name: CommandName;
  args: Record<string, string>;
}

/**
 * Matches text (mention already stripped) against the table. A slash that matches no command is
 * an unknown command (answered with help); text without a slash that matches none is a question.
 */
export function matchCommand(
  text: string,
  commands: readonly CommandSpec<CommandName>[] = COMMANDS,
): CommandMatch | { name: 'unknown'; args: { text: string } } | undefined {
  const t = text.replace(/\s+/g, ' ').trim();
  for (const c of commands) {
    const m = c.pattern.exec(t);
    if (m) {
      const args: Record<string, string> = {};
      // A named group the match did not use is undefined, whatever the lib types say.
      const groups: Record<string, string | undefined> = m.groups ?? {};
      for (const [k, v] of Object.entries(groups)) if (v !== undefined) args[k] = v.trim();
      const question = c.questionWithoutSlash;
      if (!t.startsWith('/') && question && Object.values(args).some((v) => question.test(v)))
        return undefined;
      return { name: c.name, args };
    }
  }
  if (t.startsWith('/')) return { name: 'unknown', args: { text: t } };
  return undefined;
}
