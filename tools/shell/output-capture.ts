/**
 * Bounded capture of a stream: the first half of the budget and the last half are kept, everything between is
 * counted and dropped. Memory stays at the budget however much a command prints, and the model sees how the
 * output started and how it ended (where errors usually are).
 */
import { stripTerminalControls } from './terminal-text.js';

export class OutputCapture {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(limitBytes: number) {
    this.headLimit = Math.ceil(limitBytes / 2);
    this.tailLimit = Math.floor(limitBytes / 2);
  }

  write(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    this.tail.push(Buffer.from(rest));
    this.tailBytes += rest.length;
    while (this.tailBytes - (this.tail[0]?.length ?? 0) >= this.tailLimit) {
      this.tailBytes -= (this.tail.shift() as Buffer).length;
    }
  }

  /** Bytes received in all. */
  get totalBytes(): number {
    return this.total;
  }

  /** Bytes received but not kept. */
  get droppedBytes(): number {
    return this.total - this.headBytes - Math.min(this.tailBytes, this.tailLimit);
  }

  /** The kept text, escape sequences stripped, with a marker where bytes were dropped. */
  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tailBuffer = Buffer.concat(this.tail);
    const tail = tailBuffer.subarray(Math.max(0, tailBuffer.length - this.tailLimit)).toString('utf8');
    const dropped = this.droppedBytes;
    const joined = dropped > 0 ? `${head}\n[… ${dropped} bytes dropped …]\n${tail}` : head + tail;
    return stripTerminalControls(joined);
  }
}
