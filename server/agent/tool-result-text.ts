/**
 * What the model sees of a tool result: its text blocks (images, audio and resources are named, not
 * inlined), or the structured content as JSON when there is no text — bounded, so one huge output cannot fill
 * the model's context.
 */
import type { CallToolResult } from '@modelcontextprotocol/client';

export const MAX_TOOL_TEXT = 16_000;

export function boundText(text: string, max = MAX_TOOL_TEXT): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  return `${head}\n… [${text.length - max} more characters cut; ask for a smaller part]`;
}

export function toolResultText(result: CallToolResult): string {
  const parts: string[] = [];
  for (const block of result.content ?? []) {
    switch (block.type) {
      case 'text':
        parts.push(block.text);
        break;
      case 'image':
        parts.push(`[image ${block.mimeType}]`);
        break;
      case 'audio':
        parts.push(`[audio ${block.mimeType}]`);
        break;
      case 'resource_link':
        parts.push(`[resource ${block.uri}]`);
        break;
      case 'resource': {
        const resource = block.resource as { uri: string; text?: string };
        parts.push(typeof resource.text === 'string' ? resource.text : `[resource ${resource.uri}]`);
        break;
      }
      default:
        parts.push(`[${(block as { type: string }).type}]`);
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined)
    parts.push(JSON.stringify(result.structuredContent));
  return boundText(parts.join('\n'));
}
