import { readFileSync } from 'node:fs';
import { addMemoryTool, deleteMemoryTool } from '../../protocol/tools/memory-tools.js';
import type { Command } from '../command.js';
import { chunkText, listTextFiles, MAX_FILE_BYTES } from '../ingest-chunks.js';

const BATCH = 50;

const command: Command = {
  usage: 'az memory ingest PATH [--collection C]',
  summary: 'Remember files: cut into chunks that keep path and line range',
  details:
    `Reads text files under PATH (skipping .git, node_modules, hidden folders, binaries and files over ${MAX_FILE_BYTES / 1024 / 1024} MB). ` +
    'Ingesting a file again replaces its earlier chunks. Chunks carry metadata path, line_start, line_end and source=ingest.',
  flags: { collection: { type: 'string', description: 'Collection (default: memory.default_collection)' } },
  args: 1,
  async run({ connect, out, globals, input, flags, signal }) {
    const { files, skipped } = listTextFiles(input[0] as string);
    const client = await connect();
    const collection = flags.collection as string | undefined;
    let chunks = 0;
    for (const [index, file] of files.entries()) {
      if (signal.aborted) break;
      const pieces = chunkText(file, readFileSync(file, 'utf8'));
      await client.call(deleteMemoryTool, { where: { path: file }, collection });
      for (let start = 0; start < pieces.length; start += BATCH) {
        await client.call(addMemoryTool, {
          collection,
          items: pieces.slice(start, start + BATCH).map(piece => ({
            id: piece.id,
            text: piece.text,
            metadata: {
              path: piece.path,
              line_start: piece.lineStart,
              line_end: piece.lineEnd,
              source: 'ingest',
            },
          })),
        });
      }
      chunks += pieces.length;
      out.note(`[${index + 1}/${files.length}] ${file}: ${pieces.length} chunks`);
    }
    const summary = { files: files.length, chunks, skipped };
    if (globals.json) out.json(summary);
    else
      out.print(
        `ingested ${files.length} files as ${chunks} memories${skipped.length ? `; skipped ${skipped.length} (binary or too large)` : ''}`,
      );
  },
};
export default command;
