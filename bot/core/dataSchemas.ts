import { z } from 'zod';
import { SourceSchema } from './frameworkSchema.js';

export const SourcesFileSchema = z.object({ sources: z.array(SourceSchema).min(1) });

const PassageSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  source: z.string().min(1),
  /** Where in the source the quote is: "Purpose", "CC2 a. Clinical Coding (core)". */
  location: z.string().min(1),
  /**
   * The source's own words, verbatim: "…" where text is left out; rows of a table joined with
   * " … ". Our heading is `title`, never part of the quote. test/core/quotes.test.ts holds every
   * quote to the source documents.
   */
  quote: z.string().min(1),
  /** A second source that says the same thing differently (the apprenticeship's duration), verbatim too. */
  also: z.object({ source: z.string().min(1), quote: z.string().min(1) }).optional(),
  /**
   * Our own explanation, shown apart from the quote: which level statements apply to, or why one
   * rule is read as current ("The framework does not say it replaces the 2012/13 page; …").
   */
  ourNote: z.string().min(1).optional(),
  tags: z.array(z.string().min(1)).default([]),
  /**
   * A later passage the bot shows first where the two differ (an old entry requirement). No source
   * says one replaces the other, so this is our reading and the passage's ourNote says why.
   */
  supersededBy: z.string().optional(),
});
export type Passage = z.infer<typeof PassageSchema>;
export const KnowledgeFileSchema = z.object({ passages: z.array(PassageSchema).min(1) });

/**
 * A term the sources use. What it means is either quoted from a source (with where) or explained
 * in our own words, marked as ours; an entry may have both.
 */
const GlossaryTermSchema = z
  .object({
    /** The name as a source writes it: "ACC", "ICD-10", "National Clinical Coding Qualification (UK)". */
    term: z.string().min(1),
    /** The source's own words about the term, verbatim ("…" for omissions). */
    quote: z.string().min(1).optional(),
    /** Source id of the quote. */
    source: z.string().min(1).optional(),
    /** Where in the source the quote is. */
    location: z.string().min(1).optional(),
    /** Our explanation, shown marked as ours (an expansion no source gives, say). */
    explanation: z.string().min(1).optional(),
    /**
     * For search only, never shown as a source's words: other spellings and the abbreviations no
     * source uses (NCCQ, SPC, EPA, KPI, BSL, IG).
     */
    synonyms: z.array(z.string().min(1)).default([]),
  })
  .refine((t) => t.quote === undefined || (t.source !== undefined && t.location !== undefined), {
    error: 'a quote needs its source and location',
    path: ['quote'],
  })
  .refine((t) => t.quote !== undefined || (t.source === undefined && t.location === undefined), {
    error: 'a source or location without a quote',
    path: ['source'],
  })
  .refine((t) => t.quote !== undefined || t.explanation !== undefined, {
    error: 'give a quote from a source or an explanation of ours',
    path: ['explanation'],
  });
export type GlossaryTerm = z.infer<typeof GlossaryTermSchema>;
export const GlossaryFileSchema = z.object({ terms: z.array(GlossaryTermSchema).min(1) });
