/** One-line text editing for the filter and the new-task prompt: type, paste, ⌫, ^U, ^W, Enter, Esc. */
import type { Key } from 'ink';

export type EditResult = { draft: string; done?: 'submit' | 'cancel' };

// Security: pasted text may carry escape sequences or control characters; only printable text is kept.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

export function editText(draft: string, input: string, key: Key, maxLength = 4000): EditResult {
  if (key.return) return { draft, done: 'submit' };
  if (key.escape) return { draft, done: 'cancel' };
  if (key.backspace || key.delete) return { draft: Array.from(draft).slice(0, -1).join('') };
  if (key.ctrl && input === 'u') return { draft: '' };
  if (key.ctrl && input === 'w') return { draft: draft.replace(/\S+\s*$/u, '') };
  if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) {
    return { draft };
  }
  const text = input.replace(/\r?\n|\r|\t/g, ' ').replace(UNPRINTABLE, '');
  return { draft: (draft + text).slice(0, maxLength) };
}
