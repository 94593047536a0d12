/** The open task's checkpoints (list_checkpoints), or why there are none to show. */
import { Text } from 'ink';
import { clean } from '../../protocol/terminal-text.js';
import type { CheckpointView } from '../data/optional-tools.js';
import type { Optional } from '../data/state.js';
import { compactJson, formatClock } from '../format.js';

export function CheckpointList({
  checkpoints,
  width,
}: {
  checkpoints: Optional<readonly CheckpointView[]>;
  width: number;
}) {
  if (checkpoints.state === 'unavailable') {
    return <Text dimColor>checkpoints: not available on this server</Text>;
  }
  if (checkpoints.state === 'loading') return <Text dimColor>checkpoints: loading…</Text>;
  if (checkpoints.state === 'error') {
    return (
      <Text dimColor wrap="truncate">
        checkpoints: {clean(checkpoints.message)}
      </Text>
    );
  }
  const items = checkpoints.value;
  if (items.length === 0) return <Text dimColor>checkpoints: none yet</Text>;
  const parts = items.slice(-Math.max(1, Math.floor(width / 30))).map(item => {
    const extra = Object.keys(item.extra).length > 0 ? ` ${compactJson(item.extra, 40)}` : '';
    return `${item.id.slice(0, 10)}${item.createdAt ? ` ${formatClock(item.createdAt)}` : ''} ${item.label}${extra}`.trim();
  });
  return (
    <Text wrap="truncate">
      checkpoints ({items.length}): {clean(parts.join(' · '))}
    </Text>
  );
}
