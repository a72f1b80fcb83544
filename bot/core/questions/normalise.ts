import type { Vocabulary } from './vocabulary.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A phrase list as one whole-word, longest-first regular expression (one pass over the text). */
function phraseRegex(phrases: string[]): RegExp | undefined {
  if (phrases.length === 0) return undefined;
  const sorted = [...new Set(phrases.map((p) => p.toLowerCase()))].sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![a-z0-9])(?:${sorted.map(escape).join('|')})(?![a-z0-9])`, 'g');
}

/**
 * Each word's usual slips of the finger, mapped back to it: two neighbouring letters swapped, a
 * letter left out (not the first or the last, whose loss makes another word: "manage"), a letter
 * doubled. A slip that is itself one of the words is left alone.
 */
function misspellings(words: readonly string[]): Map<string, string> {
  const own = new Set(words);
  const out = new Map<string, string>();
  const add = (typo: string, word: string) => {
    if (typo !== word && !own.has(typo) && !out.has(typo)) out.set(typo, word);
  };
  for (const w of words) {
    for (let i = 0; i + 1 < w.length; i++)
      add(w.slice(0, i) + w.charAt(i + 1) + w.charAt(i) + w.slice(i + 2), w);
    for (let i = 1; i + 1 < w.length; i++) add(w.slice(0, i) + w.slice(i + 1), w);
    for (let i = 0; i < w.length; i++) add(w.slice(0, i + 1) + w.slice(i), w);
  }
  return out;
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

  /** `known`: words that are right as they are (the library's), never taken for a slip. */
  constructor(vocab: Vocabulary, known: ReadonlySet<string> = new Set()) {
    this.words = new Map(Object.entries(vocab.words).map(([k, v]) => [k.replace(/’/g, "'"), v]));
    // The vocabulary's own rewrites win over a guessed spelling.
    for (const [typo, word] of misspellings(vocab.spellings))
      if (!this.words.has(typo) && !known.has(typo)) this.words.set(typo, word);
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
      // The framework marks levels with ticks; "what does the ✓ mean" asks about them.
      .replace(/[✓✔☑]/g, ' tick ')
      .toLowerCase();
    t = t.replace(/[a-z0-9'.-]+/g, (w) => {
      const bare = w.replace(/^[.'-]+|[.'-]+$/g, '');
      const mapped = this.words.get(bare);
      return mapped === undefined ? w : w.replace(bare, mapped);
    });
    // Contractions the vocabulary does not list ("you've", "we'll", "shouldn't"): spelled out, as
    // a word the sources never use would otherwise outweigh the question's own.
    t = t
      .replace(/\b([a-z]+)'ve\b/g, '$1 have')
      .replace(/\b([a-z]+)'ll\b/g, '$1 will')
      .replace(/\b([a-z]+)'re\b/g, '$1 are')
      .replace(/\b([a-z]+)n't\b/g, '$1 not')
      .replace(/\b(i|you|we|they|he|she|it|who)'d\b/g, '$1 would');
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
