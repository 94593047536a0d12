/** Tokenising for the built-in embedder and the keyword baseline: words, stop words, stemming, lemmas. */

const STOP_WORDS = new Set(
  (
    'a an the and or but if of to in on at by for with from as is are was were be been being do does did done ' +
    'have has had this that these those it its i me my we our us you your he she they them their his her what ' +
    'which who whom when where why how there here than then so not no can could should would must may might ' +
    'will shall about into over under after before up down out off again all any each every some such only own ' +
    'same too very just also per get got one two something someone usually especially etc used use make made'
  ).split(' '),
);

export const isContentWord = (word: string): boolean => !STOP_WORDS.has(word);

/** Lower-case words without stop words; camelCase and snake_case identifiers are split. */
export function contentWords(text: string): string[] {
  const spaced = text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/'s\b/g, '');
  return (spaced.match(/[a-z0-9]+/g) ?? []).filter(word => !STOP_WORDS.has(word));
}

/** A light suffix stemmer: enough to meet plural and tense forms, never a dictionary. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  return word
    .replace(/ies$/, 'y')
    .replace(/sses$/, 'ss')
    .replace(/([^s])s$/, '$1')
    .replace(/(ing|ed)$/, '')
    .replace(/e$/, '');
}

const DETACHMENTS: readonly [string, string][] = [
  ['ies', 'y'],
  ['es', ''],
  ['s', ''],
  ['ing', ''],
  ['ing', 'e'],
  ['ed', ''],
  ['ed', 'e'],
  ['er', ''],
  ['est', ''],
  ['ly', ''],
];

/** WordNet's base form of a word (its "morphy" detachment rules), when the lexicon knows one. */
export function lemmaCandidates(word: string, known: (lemma: string) => boolean): string[] {
  if (known(word)) return [word];
  for (const [suffix, replacement] of DETACHMENTS) {
    if (!word.endsWith(suffix)) continue;
    const candidate = word.slice(0, -suffix.length) + replacement;
    if (candidate.length > 2 && known(candidate)) return [candidate];
  }
  return [];
}
