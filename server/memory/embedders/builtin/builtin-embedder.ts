/**
 * The built-in embedder: works offline on a fresh machine, with no model download.
 *
 * A text becomes a bag of weighted features, hashed (signed) into 768 dimensions and L2-normalised:
 *   - each content word (stop words dropped, light stemming);
 *   - the word's three most frequent WordNet senses (weighted 1, 1/2, 1/3), their hypernyms two levels up
 *     (×0.5 per level), related forms (×0.6) and the words of each sense's definition (×0.6).
 * So "invoices" and "bills" meet in a shared sense, "puppy" and "dog" through a hypernym and a gloss.
 *
 * Chosen by measurement on test/fixtures/memory-quality-set.ts (see bench/memory.js): it beats a BM25 keyword
 * baseline and plain hashed words/character n-grams there. It is no sentence model: it does not read word
 * order or context, knows only English words WordNet lists, and is far behind a trained model on paraphrase.
 * Use the `openai` or `local` embedder when you can.
 */
import type { Embedder } from '../embedder.js';
import { loadLexicon, type Lexicon, type SynsetRef } from './wordnet-lexicon.js';
import { contentWords, isContentWord, lemmaCandidates, stem } from './text-features.js';

export const BUILTIN_DIMENSION = 768;
export const BUILTIN_EMBEDDER_ID = 'builtin:wordnet-hash-v1';

const SENSES = 3;
const HYPERNYM_WEIGHT = 0.5;
const HYPERNYM_DEPTH = 2;
const RELATED_WEIGHT = 0.6;
const GLOSS_WEIGHT = 0.6;

/** FNV-1a, 32 bits: stable across runs and platforms (vectors are stored). */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

export function textFeatures(text: string, lexicon: Lexicon | undefined): Map<string, number> {
  const features = new Map<string, number>();
  const add = (feature: string, weight: number): void => {
    features.set(feature, (features.get(feature) ?? 0) + weight);
  };
  const addSynset = (ref: SynsetRef, weight: number, depth: number): void => {
    if (!lexicon) return;
    add(`s:${ref.part}${ref.offset}`, weight);
    const synset = lexicon.synset(ref);
    for (const word of synset.gloss) if (isContentWord(word)) add(`w:${stem(word)}`, weight * GLOSS_WEIGHT);
    if (depth >= HYPERNYM_DEPTH) return;
    for (const parent of synset.hypernyms) addSynset(parent, weight * HYPERNYM_WEIGHT, depth + 1);
    if (depth === 0)
      for (const other of synset.related) addSynset(other, weight * RELATED_WEIGHT, HYPERNYM_DEPTH);
  };
  const words = contentWords(text);
  words.forEach((word, position) => {
    add(`w:${stem(word)}`, 1);
    if (!lexicon) return;
    const lemmas = lemmaCandidates(word, lemma => lexicon.senses(lemma) !== undefined);
    const next = words[position + 1];
    if (next !== undefined && lexicon.senses(`${word}_${next}`)) lemmas.push(`${word}_${next}`);
    for (const lemma of lemmas) {
      (lexicon.senses(lemma) ?? [])
        .slice(0, SENSES)
        .forEach((ref, rank) => addSynset(ref, 1 / (1 + rank), 0));
    }
  });
  return features;
}

export function hashFeatures(features: Map<string, number>, dimension: number): number[] {
  const vector = new Float64Array(dimension);
  for (const [feature, weight] of features) {
    const value = hash(feature);
    const slot = value % dimension;
    vector[slot] = (vector[slot] ?? 0) + (value & 0x80000000 ? -1 : 1) * weight;
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  // An empty text (only stop words) gets a fixed unit vector rather than a zero one Chroma cannot rank.
  if (norm === 0) {
    vector[0] = 1;
    norm = 1;
  }
  return Array.from(vector, value => value / norm);
}

export function createBuiltinEmbedder(load: () => Lexicon = () => loadLexicon()): Embedder {
  let lexicon: Lexicon | undefined;
  return {
    id: BUILTIN_EMBEDDER_ID,
    dimension: () => Promise.resolve(BUILTIN_DIMENSION),
    embed(texts) {
      lexicon ??= load();
      return Promise.resolve(texts.map(text => hashFeatures(textFeatures(text, lexicon), BUILTIN_DIMENSION)));
    },
  };
}
