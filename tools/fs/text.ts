/** Text helpers shared by the file tools: binary detection and line arithmetic. */

/** How much of a file is looked at to decide whether it is binary (as git does: a NUL byte near the start). */
export const BINARY_SNIFF_BYTES = 8192;

export function looksBinary(sample: Buffer): boolean {
  return sample.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/** Offsets where each line starts (line 1 at index 0). A trailing newline does not start another line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    if (index + 1 < text.length) starts.push(index + 1);
  }
  return starts;
}

/** Lines in a UTF-8 buffer, counted as lineStarts would: a trailing newline does not start another line. */
export function countLines(buffer: Buffer): number {
  if (buffer.length === 0) return 0;
  let lines = 1;
  for (let index = buffer.indexOf(10); index !== -1; index = buffer.indexOf(10, index + 1)) {
    if (index + 1 < buffer.length) lines += 1;
  }
  return lines;
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
export function cutUtf8(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= maxBytes) return text;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((buffer[end] as number) & 0xc0) === 0x80) end -= 1;
  return buffer.subarray(0, end).toString('utf8');
}
