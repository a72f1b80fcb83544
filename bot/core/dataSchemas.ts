import { z } from 'zod';
import { SourceSchema } from './frameworkSchema.js';

export const SourcesFileSchema = z.object({ sources: z.array(SourceSchema).min(1) });

export const PassageSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  source: z.string().min(1),
  /** The source's own words, verbatim (ellipses mark omissions). */
  quote: z.string().min(1),
  /** A second source that says the same thing differently (the apprenticeship's duration). */
  also: z.object({ source: z.string().min(1), quote: z.string().min(1) }).optional(),
  tags: z.array(z.string().min(1)).default([]),
  /** A newer passage that rules where the two differ (an old entry requirement). */
  supersededBy: z.string().optional(),
});
export type Passage = z.infer<typeof PassageSchema>;
export const KnowledgeFileSchema = z.object({ passages: z.array(PassageSchema).min(1) });

export const GlossaryTermSchema = z.object({
  term: z.string().min(1),
  meaning: z.string().min(1),
  synonyms: z.array(z.string().min(1)).default([]),
});
export type GlossaryTerm = z.infer<typeof GlossaryTermSchema>;
export const GlossaryFileSchema = z.object({ terms: z.array(GlossaryTermSchema).min(1) });
