import { describe, expect, it } from 'vitest';
import { chunkText } from '../../cli/ingest-chunks.js';

describe('ingest chunking', () => {
  it('cuts whole lines into chunks whose line ranges cover the file in order', () => {
    const lines = Array.from(
      { length: 200 },
      (_, index) => `line ${index + 1} ${'x'.repeat(index % 7 === 0 ? 300 : 20)}`,
    );
    const chunks = chunkText('/docs/a.md', lines.join('\n'));
    expect(chunks[0]?.lineStart).toBe(1);
    expect(chunks.at(-1)?.lineEnd).toBe(200);
    for (const [index, chunk] of chunks.entries()) {
      expect(chunk.lineEnd - chunk.lineStart + 1).toBeLessThanOrEqual(60);
      expect(chunk.text).toBe(lines.slice(chunk.lineStart - 1, chunk.lineEnd).join('\n'));
      if (index > 0) expect(chunk.lineStart).toBe((chunks[index - 1]?.lineEnd ?? 0) + 1);
      expect(chunk.text.length <= 1500 || chunk.lineStart === chunk.lineEnd).toBe(true);
    }
    expect(new Set(chunks.map(chunk => chunk.id)).size).toBe(chunks.length);
  });

  it('skips blank runs and gives stable ids per path and range', () => {
    const chunks = chunkText('/docs/b.md', '\n\n\n');
    expect(chunks).toEqual([]);
    expect(chunkText('/docs/c.md', 'hello')[0]?.id).toBe(chunkText('/docs/c.md', 'hello')[0]?.id);
    expect(chunkText('/docs/c.md', 'hello')[0]?.id).not.toBe(chunkText('/docs/d.md', 'hello')[0]?.id);
  });
});
