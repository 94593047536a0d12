import { describe, expect, it } from 'vitest';
import { compactJson, fit, formatAge, formatUsd } from '../../../tui/format.js';
import { colourWanted, createTheme } from '../../../tui/theme.js';
import { sparkline } from '../../../tui/components/sparkline.js';

describe('formatting', () => {
  it('formats micro-dollars', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(4200)).toBe('$0.0042');
    expect(formatUsd(1_270_000)).toBe('$1.27');
    expect(formatUsd(12_345_000_000)).toBe('$12,345');
    expect(formatUsd(undefined)).toBe('-');
  });

  it('formats ages', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    expect(formatAge('2026-01-01T23:59:18Z', now)).toBe('42s');
    expect(formatAge('2026-01-01T23:53:00Z', now)).toBe('7m');
    expect(formatAge('2026-01-01T21:00:00Z', now)).toBe('3h');
    expect(formatAge('2025-12-20T00:00:00Z', now)).toBe('13d');
    expect(formatAge('not a date', now)).toBe('?');
  });

  it('fits text to terminal cells, counting wide characters twice', () => {
    expect(fit('abc', 5)).toBe('abc  ');
    expect(fit('abc', 5, 'right')).toBe('  abc');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('日本語のタイトル', 7)).toBe('日本語…');
    expect(fit('日本語', 4)).toBe('日… ');
    expect(fit('日本', 4)).toBe('日本');
  });

  it('keeps compact JSON short', () => {
    expect(compactJson({ a: 'x'.repeat(50) }, 20)).toHaveLength(20);
  });

  it('draws a sparkline scaled to the largest value', () => {
    expect(sparkline([0, 1, 2, 4, 8], 10)).toBe('▁▁▂▄█');
    expect(sparkline([5, 5], 10)).toBe('██');
    expect(sparkline([1, 2, 3, 4], 2)).toBe('▆█');
    expect(sparkline([0, 0], 5)).toBe('▁▁');
  });
});

describe('NO_COLOR', () => {
  it('turns colour off when set to any non-empty value', () => {
    expect(colourWanted({})).toBe(true);
    expect(colourWanted({ NO_COLOR: '' })).toBe(true);
    expect(colourWanted({ NO_COLOR: '1' })).toBe(false);
    expect(colourWanted({ NO_COLOR: 'false' })).toBe(false);
  });

  it('gives no colour to anything without colour, but keeps symbols', () => {
    const plain = createTheme(false);
    expect(plain.status('FAILED')).toBeUndefined();
    expect(plain.tint('red')).toBeUndefined();
    expect(createTheme(true).status('FAILED')).toBe('red');
  });
});

describe('checkpoints in the task view', () => {
  it('says id, time, step and message in a few words, cleaned', async () => {
    const { describeCheckpoint } = await import('../../../tui/components/checkpoint-list.js');
    const line = describeCheckpoint({
      id: 'a1b2c3d4e5f6',
      short_id: 'a1b2c3d',
      created_at: new Date(2026, 0, 1, 14, 3, 1).toISOString(),
      reason: 'step',
      message: 'step 4: wrote\u001b[2J report.md',
      task_id: 't',
      step: 4,
      attempt: 1,
    });
    expect(line).toBe('a1b2c3d 14:03:01 step 4 step 4: wrote report.md');
  });
});
