import { describe, expect, it } from 'vitest';
import { createBuiltinEmbedder } from '../../../server/memory/embedders/builtin/builtin-embedder.js';
import { bm25Ranker } from '../../fixtures/keyword-baseline.js';
import { DISTRACTORS, QUALITY_CASES } from '../../fixtures/memory-quality-set.js';

const documents = [
  ...QUALITY_CASES.map(item => ({ id: item.id, text: item.memory })),
  ...DISTRACTORS.map((text, index) => ({ id: `d${index}`, text })),
];

function hits(rankings: readonly string[][], within: number): number {
  return QUALITY_CASES.filter((item, index) => (rankings[index] ?? []).slice(0, within).includes(item.id))
    .length;
}

describe('retrieval quality on paraphrased queries', () => {
  it('built-in embedder finds more right answers than the BM25 keyword baseline', async () => {
    const embedder = createBuiltinEmbedder();
    const vectors = await embedder.embed(documents.map(document => document.text));
    const rank = async (query: string): Promise<string[]> => {
      const [q] = await embedder.embed([query]);
      return vectors
        .map((vector, index) => ({
          id: documents[index]?.id as string,
          score: vector.reduce((sum, value, slot) => sum + value * (q?.[slot] ?? 0), 0),
        }))
        .sort((a, b) => b.score - a.score)
        .map(entry => entry.id);
    };
    const builtin = await Promise.all(QUALITY_CASES.map(item => rank(item.query)));
    const keyword = bm25Ranker(documents);
    const baseline = QUALITY_CASES.map(item => keyword(item.query));
    expect(hits(builtin, 3)).toBeGreaterThan(hits(baseline, 3));
    expect(hits(builtin, 1)).toBeGreaterThan(hits(baseline, 1));
  });

  it('built-in embedder is deterministic and unit length', async () => {
    const embedder = createBuiltinEmbedder();
    const [a, b] = await embedder.embed(['The invoices go out monthly.', 'The invoices go out monthly.']);
    expect(a).toEqual(b);
    expect(Math.hypot(...(a as number[]))).toBeCloseTo(1, 6);
    const [empty] = await embedder.embed(['the and of']);
    expect(Math.hypot(...(empty as number[]))).toBeCloseTo(1, 6);
  });
});
