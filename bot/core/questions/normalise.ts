import type { Vocabulary } from './vocabulary.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A phrase list as one whole-word, longest-first regular expression (one pass over the text). */
function phraseRegex(phrases: string[]): RegExp | undefined {
  if (phrases.length === 0) return undefined;
  const sorted = [...new Set(phrases.map((p) => p.toLowerCase()))].sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![a-z0-9])(?:${sorted.map(escape).join('|')})(?![a-z0-9])`, 'g');
}

/**
 * Rewrites a question the way coders type it in Teams into the words the sources use: lower case,
 * straight quotes, contractions and shorthand spelled out ("yrs", "mgr"), the names people use
 * mapped to the sources' names ("the auditor course" → "ccap"), and chat filler dropped. Built
 * once from the vocabulary; each call is a few regular-expression passes.
 */
export class QuestionNormaliser {
  private readonly words: Map<string, string>;
  private readonly names: RegExp | undefined;
  private readonly nameOf = new Map<string, string>();
  private readonly filler: RegExp | undefined;

  constructor(vocab: Vocabulary) {
    this.words = new Map(Object.entries(vocab.words).map(([k, v]) => [k.replace(/’/g, "'"), v]));
    for (const n of vocab.names) for (const s of n.say) this.nameOf.set(s.toLowerCase(), n.as);
    this.names = phraseRegex([...this.nameOf.keys()]);
    this.filler = phraseRegex(vocab.filler);
  }

  normalise(question: string): string {
    let t = question
      .replace(/<at>[^<]*<\/at>/gi, ' ')
      .replace(/[’‘`]/g, "'")
      .replace(/[“”]/g, '"')
      .replace(/[–—]/g, '-')
      .toLowerCase();
    t = t.replace(/[a-z0-9'.-]+/g, (w) => {
      const bare = w.replace(/^[.'-]+|[.'-]+$/g, '');
      const mapped = this.words.get(bare);
      return mapped === undefined ? w : w.replace(bare, mapped);
    });
    // Possessives carry no meaning of their own ("CC2's statements").
    t = t.replace(/([a-z0-9])'s\b/g, '$1');
    if (this.names) t = t.replace(this.names, (m) => ` ${this.nameOf.get(m) ?? m} `);
    if (this.filler) t = t.replace(this.filler, ' ');
    // What filler leaves at the start ("hiya, quick q - …") is punctuation alone.
    return t
      .replace(/\s+/g, ' ')
      .replace(/^[\s,;:.!-]+/, '')
      .trim();
  }
}
