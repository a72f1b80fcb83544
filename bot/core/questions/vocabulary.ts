import { z } from 'zod';

const Words = z.array(z.string().min(1)).min(1);

/**
 * How coders word their questions, kept as data so that content owners grow it without code:
 * spelling and abbreviations, the names people use for the sources' things, chat filler, the
 * topics the sources do not cover, and per passage a short answer of ours and example questions.
 */
export const VocabularySchema = z.object({
  /** Whole words rewritten before anything else: misspellings, abbreviations, chat shorthand. */
  words: z.record(z.string().regex(/^[a-z0-9'’.-]+$/), z.string()),
  /**
   * Words typed wrong in the ways fingers do (two letters swapped, one left out inside the word, one
   * doubled) are read as these: "auidtor", "framwork", "apprenticeshipp". Long words only.
   */
  spellings: z.array(z.string().regex(/^[a-z]{6,}$/)).default([]),
  /** Phrases rewritten to the sources' own names ("the auditor course" → "CCAP"); longest first. */
  names: z.array(z.object({ say: Words, as: z.string().min(1) })),
  /**
   * Everyday words for what the framework says in its own words ("praise" for "positive feedback",
   * "appraisal" for "development review"): searched as well as the word said, never instead of it.
   * A document using any one of `means` counts as matching the word said.
   */
  related: z.array(z.object({ say: Words, means: Words })).default([]),
  /** Chat openers and filler that carry no topic ("quick one", "anything in the framework on"). */
  filler: Words,
  /** Topics the sources say nothing about: asked about, the bot says so instead of guessing. */
  notCovered: z.array(
    z.object({
      id: z.string().regex(/^[a-z0-9-]+$/),
      /** Case-insensitive regular expressions over the normalised question; any one matching counts. */
      when: Words,
      /** Regular expressions that make it a question the sources do answer after all. */
      unless: z.array(z.string().min(1)).default([]),
      /** What the sources do not cover, completing "My sources don't cover …". */
      topic: z.string().min(1),
      /** Who or what does, where a source names it, or where to ask. */
      pointer: z.string().optional(),
      /** A passage that says something near it, offered as "What the sources do say". */
      near: z.array(z.string()).default([]),
    }),
  ),
  /** Per document id ("passage:app-duration"): our one-line answer and example questions that find it. */
  documents: z.record(
    z.string().regex(/^(passage|statement|subArea|area|activity|resource|glossary):.+$/),
    z.object({
      /** Our own short answer, shown apart from the quote (never as the source's words). */
      answer: z.string().min(1).optional(),
      examples: z.array(z.string().min(1)).default([]),
    }),
  ),
});
export type Vocabulary = z.infer<typeof VocabularySchema>;

/** Checks the vocabulary's regular expressions once at start-up, so a typo fails the boot, not a turn. */
export function checkVocabulary(v: Vocabulary, knownDocIds: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const rule of v.notCovered) {
    for (const re of [...rule.when, ...rule.unless]) {
      try {
        new RegExp(re, 'i');
      } catch (e) {
        problems.push(`notCovered ${rule.id}: ${(e as Error).message}`);
      }
    }
    for (const id of rule.near)
      if (!knownDocIds.has(id)) problems.push(`notCovered ${rule.id}: no document ${id}`);
  }
  for (const id of Object.keys(v.documents))
    if (!knownDocIds.has(id)) problems.push(`documents: no document ${id}`);
  return problems;
}
