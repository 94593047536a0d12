import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { PLAIN_KEY } from '../../../tui/key-handler.js';
import { editText } from '../../../tui/view/text-edit.js';

const key = (patch: Partial<Key> = {}): Key => ({ ...PLAIN_KEY, ...patch });

describe('editText', () => {
  it('types, deletes, clears a word or the line, submits and cancels', () => {
    expect(editText('dep', 'l', key())).toEqual({ draft: 'depl' });
    expect(editText('depl', '', key({ backspace: true }))).toEqual({ draft: 'dep' });
    expect(editText('deploy prod', 'w', key({ ctrl: true }))).toEqual({ draft: 'deploy ' });
    expect(editText('deploy prod', 'u', key({ ctrl: true }))).toEqual({ draft: '' });
    expect(editText('x', '', key({ return: true }))).toEqual({ draft: 'x', done: 'submit' });
    expect(editText('x', '', key({ escape: true, meta: true }))).toEqual({ draft: 'x', done: 'cancel' });
  });

  it('deletes whole characters, not UTF-16 halves', () => {
    expect(editText('ok 👍', '', key({ backspace: true }))).toEqual({ draft: 'ok ' });
  });

  it('keeps only printable text from a paste (no escape sequences or bidi overrides)', () => {
    expect(editText('', 'line one\nline\ttwo\u001b[2J\u202eevil\u0007', key()).draft).toBe(
      'line one line two[2Jevil',
    );
  });

  it('caps the length', () => {
    expect(editText('', 'x'.repeat(500), key(), 200).draft).toHaveLength(200);
  });
});
