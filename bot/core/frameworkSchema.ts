import { z } from 'zod';

/** The two job levels of the framework. */
export const LevelSchema = z.enum(['trainee', 'approved']);
export type Level = z.infer<typeof LevelSchema>;

export const AreaIdSchema = z.enum(['CC1', 'CC2', 'CC3', 'CC4', 'CC5']);
export type AreaId = z.infer<typeof AreaIdSchema>;

const levels = z
  .array(LevelSchema)
  .min(1)
  .refine((l) => new Set(l).size === l.length, 'levels must not repeat');

/**
 * A source document, described only as the document describes itself: its title, the publisher
 * it names and the date it gives. Whether the bot treats it as current is our judgement, so the
 * reason is stated with it.
 */
export const SourceSchema = z
  .object({
    id: z.string().min(1),
    /** The document's own title or heading. */
    title: z.string().min(1),
    /** The publisher as the document names it; left out when it names none. */
    publisher: z.string().min(1).optional(),
    /** Why no publisher is given, or where the one given is named ("not named on the page; …"). */
    publisherNote: z.string().min(1).optional(),
    /** As the document gives it ("2012/13 training year", "2023"), or "undated". */
    date: z.string().min(1),
    /** Only an address the document itself gives as its own. */
    url: z.url().optional(),
    /** Whether the bot treats the document as the word on its subject now (older ones are history). */
    status: z.enum(['current', 'historical']),
    /** Why: a date in the document, or "Undated; we treat it as current because …". */
    statusReason: z.string().min(1),
    note: z.string().optional(),
  })
  .refine((s) => s.publisher !== undefined || s.publisherNote !== undefined, {
    error: 'give the publisher the document names, or a publisherNote saying it names none',
    path: ['publisherNote'],
  })
  .refine((s) => s.date !== 'undated' || /^Undated\b/.test(s.statusReason), {
    error: 'an undated source says so at the start of its statusReason',
    path: ['statusReason'],
  });
export type Source = z.infer<typeof SourceSchema>;

const StatementSchema = z.object({
  /** Stable id: sub-area id, a dot, the statement's position in the sub-area from 1 (CC2d.3). */
  id: z.string().regex(/^(CC[1-5][a-z]|CC5-general)\.\d+$/),
  text: z.string().min(3),
  levels,
  /** Why a level reading was a judgement call (an ambiguous tick in the source). */
  readingNote: z.string().optional(),
});
export type Statement = z.infer<typeof StatementSchema>;

const SubAreaSchema = z.object({
  /** Area id plus letter (CC2d); CC5's unlettered opening statements are CC5-general. */
  id: z.string().regex(/^CC[1-5][a-z]$|^CC5-general$/),
  letter: z
    .string()
    .regex(/^[a-z]$/)
    .nullable(),
  title: z.string().min(1),
  statements: z.array(StatementSchema).min(1),
});
export type SubArea = z.infer<typeof SubAreaSchema>;

const AreaSchema = z.object({
  id: AreaIdSchema,
  title: z.string().min(1),
  subAreas: z.array(SubAreaSchema).min(1),
});
export type Area = z.infer<typeof AreaSchema>;

const ActivitySchema = z.object({
  /** LMA01 … in the order of the framework's table. */
  id: z.string().regex(/^LMA\d{2,3}$/),
  text: z.string().min(3),
  levels,
  supports: z.array(AreaIdSchema).min(1),
});
export type Activity = z.infer<typeof ActivitySchema>;

const ResourceSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** The framework's heading the resource sits under ("Classification Resources"). */
  category: z.string().min(1),
  title: z.string().min(1),
  /** The framework's own words about it, where it says more than the title. */
  detail: z.string().optional(),
  url: z.string().optional(),
  /** Areas and sub-areas whose gaps this resource helps with (CC4b, CC2). */
  helpsWith: z.array(z.string().regex(/^CC[1-5]([a-z]|-general)?$/)).default([]),
});
export type Resource = z.infer<typeof ResourceSchema>;

export const FrameworkSchema = z.object({
  source: z.string().min(1),
  purpose: z.string().min(1),
  levels: z
    .array(z.object({ id: LevelSchema, name: z.string().min(1), definition: z.string().min(1) }))
    .length(2),
  areas: z.array(AreaSchema).length(5),
  activities: z.array(ActivitySchema).min(1),
  resources: z.array(ResourceSchema).min(1),
});
export type Framework = z.infer<typeof FrameworkSchema>;
