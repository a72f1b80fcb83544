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

export const SourceSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  publisher: z.string().min(1),
  /** As precise as the document allows: "2012/13 training year", "2023", "undated". */
  date: z.string().min(1),
  /** Whether this document is the current word on its subject (older ones are kept as history). */
  current: z.boolean(),
  /** How the date was arrived at, when the document does not state it. */
  dateNote: z.string().optional(),
  url: z.string().url().optional(),
  note: z.string().optional(),
});
export type Source = z.infer<typeof SourceSchema>;

export const StatementSchema = z.object({
  /** Stable id: sub-area id, a dot, the statement's position in the sub-area from 1 (CC2d.3). */
  id: z.string().regex(/^(CC[1-5][a-z]|CC5-general)\.\d+$/),
  text: z.string().min(3),
  levels,
  /** Why a level reading was a judgement call (an ambiguous tick in the source). */
  readingNote: z.string().optional(),
});
export type Statement = z.infer<typeof StatementSchema>;

export const SubAreaSchema = z.object({
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

export const AreaSchema = z.object({
  id: AreaIdSchema,
  title: z.string().min(1),
  subAreas: z.array(SubAreaSchema).min(1),
});
export type Area = z.infer<typeof AreaSchema>;

export const ActivitySchema = z.object({
  /** LMA01 … in the order of the framework's table. */
  id: z.string().regex(/^LMA\d{2,3}$/),
  text: z.string().min(3),
  levels,
  supports: z.array(AreaIdSchema).min(1),
});
export type Activity = z.infer<typeof ActivitySchema>;

export const ResourceSchema = z.object({
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
