import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConfinement, isInside } from '../../../tools/fs/confine.js';
import { unifiedDiff } from '../../../tools/fs/diff.js';

describe('confinement', () => {
  const base = mkdtempSync(join(tmpdir(), 'az-confine-'));
  const root = join(base, 'ws');
  mkdirSync(join(root, 'sub'), { recursive: true });
  symlinkSync(root, join(base, 'ws-link'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('compares paths by separator, not by string prefix', () => {
    expect(isInside('/work/ws', '/work/ws')).toBe(true);
    expect(isInside('/work/ws/a', '/work/ws')).toBe(true);
    expect(isInside('/work/ws-evil', '/work/ws')).toBe(false);
    expect(isInside('/work/wsa/b', '/work/ws')).toBe(false);
    expect(isInside('/anything', '/')).toBe(true);
  });

  it('resolves a root given through a symlink to its real path, and accepts both spellings', () => {
    const confinement = createConfinement({ roots: [join(base, 'ws-link')] });
    expect(confinement.roots).toEqual([root]);
    expect(confinement.resolve('sub/new.txt').real).toBe(join(root, 'sub', 'new.txt'));
    expect(confinement.resolve(join(base, 'ws-link', 'sub')).real).toBe(join(root, 'sub'));
    expect(confinement.display(join(root, 'sub', 'new.txt'))).toBe('sub/new.txt');
  });

  it('refuses a forbidden area inside a root, except its listed exceptions', () => {
    const confinement = createConfinement({
      roots: [base],
      forbidden: [{ path: root, reason: 'AZ-OS data', except: [join(root, 'sub')] }],
    });
    expect(() => confinement.resolve('ws/token')).toThrow(/is AZ-OS data; tools may never touch it/);
    expect(confinement.resolve('ws/sub/file').real).toBe(join(root, 'sub', 'file'));
    expect(confinement.allows(join(root, 'token'))).toBe(false);
  });

  it('fails clearly when no root exists', () => {
    expect(() => createConfinement({ roots: [join(base, 'missing')] })).toThrow(/no workspace root exists/);
  });
});

describe('unified diff', () => {
  it('shows separate hunks for distant changes and nothing for equal texts', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const after = before.replace('line 2\n', 'LINE 2\n').replace('line 17\n', '');
    const { diff, added, removed } = unifiedDiff(before, after, 'f.txt');
    expect([added, removed]).toEqual([1, 2]);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain('@@ -1,6 +1,6 @@\n line 0\n line 1\n-line 2\n+LINE 2\n line 3\n');
    expect(diff).toContain('@@ -15,6 +15,5 @@\n line 14\n line 15\n line 16\n-line 17\n line 18\n line 19\n');
    expect(unifiedDiff('same\n', 'same\n', 'f').diff).toBe('');
  });
});
