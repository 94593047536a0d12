import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { editText } from '../../../tui/view/text-edit.js';

const NONE: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const key = (patch: Partial<Key> = {}): Key => ({ ...NONE, ...patch });

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
