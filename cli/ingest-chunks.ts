/**
 * `az memory ingest`: which files to read and how to cut them into memories. A chunk is a run of whole lines
 * (about 1,500 characters, at most 60 lines) and keeps its path and 1-based line range.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const MAX_FILE_BYTES = 1024 * 1024;
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', 'dist', 'build', '.venv', '__pycache__']);

export interface Chunk {
  id: string;
  text: string;
  path: string;
  lineStart: number;
  lineEnd: number;
}

/** Text files under `path` (or `path` itself), skipping VCS and dependency folders, binaries and big files. */
export function listTextFiles(path: string): { files: string[]; skipped: string[] } {
  const files: string[] = [];
  const skipped: string[] = [];
  const visit = (current: string): void => {
    const stats = statSync(current);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(current).sort()) {
        if (SKIPPED_DIRECTORIES.has(entry) || entry.startsWith('.')) continue;
        visit(join(current, entry));
      }
      return;
    }
    if (!stats.isFile()) return;
    if (stats.size > MAX_FILE_BYTES || looksBinary(current)) skipped.push(current);
    else files.push(current);
  };
  visit(resolve(path));
  return { files, skipped };
}

function looksBinary(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).includes(0);
  } finally {
    closeSync(fd);
  }
}

export function chunkText(path: string, text: string, maxChars = 1500, maxLines = 60): Chunk[] {
  const lines = text.split('\n');
  const prefix = createHash('sha256').update(path).digest('hex').slice(0, 16);
  const chunks: Chunk[] = [];
  let start = 0;
  while (start < lines.length) {
    let end = start;
    let size = 0;
    while (
      end < lines.length &&
      end - start < maxLines &&
      (end === start || size + (lines[end] as string).length <= maxChars)
    ) {
      size += (lines[end] as string).length + 1;
      end += 1;
    }
    const body = lines.slice(start, end).join('\n').slice(0, 19_000);
    if (body.trim().length > 0) {
      chunks.push({
        id: `file:${prefix}:${start + 1}-${end}`,
        text: body,
        path,
        lineStart: start + 1,
        lineEnd: end,
      });
    }
    start = end;
  }
  return chunks;
}
