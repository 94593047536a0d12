/** The bottom two lines: a notice or an open dialog (filter, new task, confirm), then the keys. */
import { Text } from 'ink';
import { clean } from '../../protocol/terminal-text.js';
import type { Notice } from '../data/state.js';
import { fit } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { BINDINGS, type Screen, type TaskAction } from '../view/keymap.js';
import type { Dialog } from '../view/view-state.js';

const NOTICE_MS = 8000;

/** Shows the tail of a draft that is wider than the line, with a cursor block. */
function tail(draft: string, width: number): string {
  const chars = Array.from(draft);
  return (chars.length > width - 1 ? `…${chars.slice(-(width - 2)).join('')}` : draft) + '█';
}

export function StatusLine({
  dialog,
  notice,
  now,
  width,
  hint,
}: {
  dialog: Dialog;
  notice: Notice | undefined;
  now: number;
  width: number;
  hint: string;
}) {
  const theme = useTheme();
  if (dialog.kind === 'filter') {
    return (
      <Text wrap="truncate">
        <Text bold>/</Text>
        {tail(dialog.draft, width - 30)}
        <Text dimColor> ⏎ keep · esc clear</Text>
      </Text>
    );
  }
  if (dialog.kind === 'prompt') {
    return (
      <Text wrap="truncate">
        <Text bold>New task: </Text>
        {tail(dialog.draft, width - 35)}
        <Text dimColor> ⏎ queue · esc cancel</Text>
      </Text>
    );
  }
  if (dialog.kind === 'confirm-cancel') {
    return (
      <Text wrap="truncate" color={theme.tint('yellow')} bold>
        Cancel &apos;{clean(dialog.title)}&apos;? It stops within a second and cannot be undone. y/N
      </Text>
    );
  }
  if (dialog.kind === 'unfinished-call') {
    return (
      <Text wrap="truncate" color={theme.tint('yellow')} bold>
        Resume &apos;{clean(dialog.title)}&apos;: a call lost its result. a it took effect · r run it again ·
        esc leave it — {clean(dialog.summary)}
      </Text>
    );
  }
  if (notice && now - notice.at < NOTICE_MS) {
    return (
      <Text wrap="truncate" color={theme.tint(notice.kind === 'error' ? 'red' : 'green')}>
        {clean(notice.text)}
      </Text>
    );
  }
  return (
    <Text wrap="truncate" dimColor>
      {fit(hint, width)}
    </Text>
  );
}

export function KeyHints({ screen, disabled }: { screen: Screen; disabled: ReadonlySet<TaskAction> }) {
  const shown = BINDINGS.filter(
    binding => binding.hint && (binding.hintScreens ?? binding.screens).includes(screen),
  );
  return (
    <Text wrap="truncate">
      {shown.map((binding, index) => {
        const off = disabled.has(binding.command.type as TaskAction);
        return (
          <Text key={binding.keys} dimColor={off} strikethrough={off}>
            {index > 0 ? ' ' : ''}
            {binding.hint}
          </Text>
        );
      })}
    </Text>
  );
}
