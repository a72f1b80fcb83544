import { z } from 'zod';
import { addDays } from '../calendar.js';
import { AreaIdSchema } from '../frameworkSchema.js';

/*
 * A coder's development plan: line-manager activities from the framework, each with a target date
 * and who does it. Either side proposes an item; the other confirms it and it is agreed. An agreed
 * item is marked done with an evidence note, or dropped with a reason, by either side, and the other
 * side is told. The plan belongs to the coder: their manager sees and changes it only while the coder
 * shares with them.
 */

export const SideSchema = z.enum(['coder', 'manager']);
export type Side = z.infer<typeof SideSchema>;

export const PLAN_NOTE_MAX = 500;
/** Open items (proposed or agreed) a plan holds at most, so the card stays readable. */
const PLAN_OPEN_MAX = 12;
/** How far ahead a target date may be. */
const PLAN_HORIZON_DAYS = 2 * 366;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const IsoDateTime = z.iso.datetime({ offset: true });

const PlanItemSchema = z.object({
  id: z.string().min(1).max(100),
  activityId: z.string().regex(/^LMA\d{2,3}$/),
  activityText: z.string(),
  /** The gap areas the activity serves for this coder, when it was added. */
  servesAreas: z.array(AreaIdSchema).default([]),
  targetDate: IsoDate,
  owner: SideSchema,
  proposedBy: SideSchema,
  status: z.enum(['proposed', 'agreed', 'done', 'dropped']),
  createdAt: IsoDateTime,
  agreedAt: IsoDateTime.optional(),
  closedAt: IsoDateTime.optional(),
  closedBy: SideSchema.optional(),
  /** The evidence note when done, the reason when dropped. */
  note: z.string().max(PLAN_NOTE_MAX).optional(),
});
export type PlanItem = z.infer<typeof PlanItemSchema>;

export const PlanDocSchema = z.object({ items: z.array(PlanItemSchema).default([]) });
export type PlanDoc = z.infer<typeof PlanDocSchema>;

export interface PlanRepo {
  get(coderKey: string): Promise<PlanDoc | undefined>;
  update(coderKey: string, change: (doc: PlanDoc) => PlanDoc | undefined): Promise<PlanDoc | undefined>;
  remove(coderKey: string): Promise<void>;
}

export type PlanProblem =
  | 'date-past'
  | 'date-far'
  | 'already-planned'
  | 'plan-full'
  | 'not-found'
  | 'not-yours-to-confirm'
  | 'not-open'
  | 'note-needed';

export const PLAN_PROBLEMS: Record<PlanProblem, string> = {
  'date-past': 'Choose a target date from today on.',
  'date-far': 'Choose a target date within the next two years.',
  'already-planned': 'That activity is already in the plan.',
  'plan-full': `The plan already has ${PLAN_OPEN_MAX} open items: finish or drop one first.`,
  'not-found': 'That plan item is no longer there.',
  'not-yours-to-confirm': 'The other side confirms what you propose: this is waiting for them.',
  'not-open': 'That plan item is already done or dropped.',
  'note-needed': 'Add a note: what was done, or why it is dropped.',
};

type Outcome = { ok: true; doc: PlanDoc; item: PlanItem } | { ok: false; problem: PlanProblem };

const isOpen = (i: PlanItem) => i.status === 'proposed' || i.status === 'agreed';

/**
 * Adds a proposed item; the other side confirms it. A coder who shares with no manager agrees their own
 * plan (`alone`): there is nobody to confirm. Target date: today ("YYYY-MM-DD", local) to two years on.
 */
export function proposeItem(
  doc: PlanDoc,
  input: {
    id: string;
    activity: { id: string; text: string; servesAreas: PlanItem['servesAreas'] };
    targetDate: string;
    owner: Side;
    by: Side;
    alone?: boolean;
    today: string;
    now: Date;
  },
): Outcome {
  if (input.targetDate < input.today) return { ok: false, problem: 'date-past' };
  if (input.targetDate > addDays(input.today, PLAN_HORIZON_DAYS)) return { ok: false, problem: 'date-far' };
  const open = doc.items.filter(isOpen);
  if (open.some((i) => i.activityId === input.activity.id)) return { ok: false, problem: 'already-planned' };
  if (open.length >= PLAN_OPEN_MAX) return { ok: false, problem: 'plan-full' };
  const item: PlanItem = {
    id: input.id,
    activityId: input.activity.id,
    activityText: input.activity.text,
    servesAreas: input.activity.servesAreas,
    targetDate: input.targetDate,
    owner: input.owner,
    proposedBy: input.by,
    status: input.alone ? 'agreed' : 'proposed',
    createdAt: input.now.toISOString(),
    ...(input.alone ? { agreedAt: input.now.toISOString() } : {}),
  };
  return { ok: true, doc: { items: [...doc.items, item] }, item };
}

function change(doc: PlanDoc, id: string, f: (item: PlanItem) => PlanItem | PlanProblem): Outcome {
  const item = doc.items.find((i) => i.id === id);
  if (!item) return { ok: false, problem: 'not-found' };
  const next = f(item);
  if (typeof next === 'string') return { ok: false, problem: next };
  return { ok: true, doc: { items: doc.items.map((i) => (i.id === id ? next : i)) }, item: next };
}

/** The side that did not propose the item agrees to it. */
export function confirmItem(doc: PlanDoc, id: string, by: Side, now: Date): Outcome {
  return change(doc, id, (item) => {
    if (item.status !== 'proposed') return 'not-open';
    if (item.proposedBy === by) return 'not-yours-to-confirm';
    return { ...item, status: 'agreed', agreedAt: now.toISOString() };
  });
}

/**
 * Done (with the evidence) or dropped (with the reason), by either side. A proposal not yet agreed
 * can be dropped (declined, or withdrawn) but not marked done.
 */
export function closeItem(
  doc: PlanDoc,
  id: string,
  input: { as: 'done' | 'dropped'; note: string; by: Side; now: Date },
): Outcome {
  const note = input.note.trim();
  return change(doc, id, (item) => {
    if (!isOpen(item) || (input.as === 'done' && item.status !== 'agreed')) return 'not-open';
    if (!note) return 'note-needed';
    return {
      ...item,
      status: input.as,
      closedAt: input.now.toISOString(),
      closedBy: input.by,
      note: note.slice(0, PLAN_NOTE_MAX),
    };
  });
}

/** Open items first by target date, then closed ones newest first. */
export function planOrder(items: readonly PlanItem[]): PlanItem[] {
  const open = items.filter(isOpen).sort((a, b) => a.targetDate.localeCompare(b.targetDate));
  const closed = items
    .filter((i) => !isOpen(i))
    .sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''));
  return [...open, ...closed];
}

/** What the manager's digest and /team say about one coder's plan. */
export interface PlanStatus {
  agreed: number;
  overdue: number;
  /** Proposals waiting for the other side: for the manager, and for the coder. */
  waitingForManager: number;
  waitingForCoder: number;
  /** Activities already in the plan (proposed or agreed), so they are not suggested again. */
  openActivityIds: string[];
}

export function planStatus(doc: PlanDoc | undefined, today: string): PlanStatus {
  const open = (doc?.items ?? []).filter(isOpen);
  const agreed = open.filter((i) => i.status === 'agreed');
  const proposed = open.filter((i) => i.status === 'proposed');
  return {
    agreed: agreed.length,
    overdue: agreed.filter((i) => i.targetDate < today).length,
    waitingForManager: proposed.filter((i) => i.proposedBy === 'coder').length,
    waitingForCoder: proposed.filter((i) => i.proposedBy === 'manager').length,
    openActivityIds: open.map((i) => i.activityId),
  };
}

/** One plan item as the manager's export lists it. */
export interface PlanExportRow {
  coderName: string;
  activity: string;
  gapAreas: string;
  targetDate: string;
  owner: string;
  status: string;
  note: string;
}

export const PLAN_EXPORT_COLUMNS: readonly { key: keyof PlanExportRow; header: string }[] = [
  { key: 'coderName', header: 'Coder' },
  { key: 'activity', header: 'Activity' },
  { key: 'gapAreas', header: 'Gap areas' },
  { key: 'targetDate', header: 'Target date' },
  { key: 'owner', header: 'Who does it' },
  { key: 'status', header: 'Status' },
  { key: 'note', header: 'Evidence or reason' },
];

/** Every item of each coder's plan, coders in the order given, items as the plan orders them. */
export function planExportRows(
  coders: readonly { coderName: string; plan: PlanDoc | undefined }[],
): PlanExportRow[] {
  return coders.flatMap(({ coderName, plan }) =>
    planOrder(plan?.items ?? []).map((i) => ({
      coderName,
      activity: i.activityText,
      gapAreas: i.servesAreas.join(' '),
      targetDate: i.targetDate,
      owner: i.owner === 'coder' ? 'Coder' : 'Manager',
      status: i.status === 'proposed' ? `Proposed by the ${i.proposedBy}` : capitalised(i.status),
      note: i.note ?? '',
    })),
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
