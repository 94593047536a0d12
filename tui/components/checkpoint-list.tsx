/** The open task's checkpoints (list_checkpoints), or why there are none to show. */
import { Text } from 'ink';
import { clean } from '../../protocol/terminal-text.js';
import type { CheckpointInfo } from '../../protocol/tools/checkpoint-tools.js';
import type { Optional } from '../data/state.js';
import { formatClock } from '../format.js';

/** One checkpoint in a few words: `a1b2c3d 14:03:01 step 4 message`. */
export function describeCheckpoint(checkpoint: CheckpointInfo): string {
  const step = checkpoint.step === null ? '' : ` step ${checkpoint.step}`;
  const what = checkpoint.message || checkpoint.reason;
  return clean(`${checkpoint.short_id} ${formatClock(checkpoint.created_at)}${step} ${what}`);
}

export function CheckpointList({
  checkpoints,
  width,
}: {
  checkpoints: Optional<readonly CheckpointInfo[]>;
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
  // The newest first, as many as fit on the line.
  const shown = items.slice(0, Math.max(1, Math.floor(width / 36))).map(describeCheckpoint);
  return (
    <Text wrap="truncate">
      checkpoints ({items.length}): {shown.join(' · ')}
    </Text>
  );
}
