/** `?`: every key, from the same table that handles them. */
import { Box, Text } from 'ink';
import { fit } from '../format.js';
import { BINDINGS, type TaskAction } from '../view/keymap.js';

export function HelpScreen({ height, disabled }: { height: number; disabled: ReadonlySet<TaskAction> }) {
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>Keys</Text>
      {BINDINGS.slice(0, Math.max(0, height - 3)).map(binding => {
        const off = disabled.has(binding.command.type as TaskAction);
        return (
          <Text key={binding.keys} wrap="truncate" dimColor={off}>
            {fit(binding.keys, 10)} {binding.help}
            {off ? ' (not allowed for this token)' : ''}
          </Text>
        );
      })}
      <Text dimColor wrap="truncate">
        Any key closes this help. Live: the dashboard hears the server&apos;s change notifications; nothing
        polls.
      </Text>
    </Box>
  );
}
