/**
 * One HTTP/1.1 POST over a plain TCP socket, for the stateless client's calls to an `http:` URL.
 *
 * Why not node:http: a one-shot `az` command makes one request, and node:http's client (its agent, parser and
 * message classes, loaded and run for the first time in each process) costs ~3 ms of `az task list`'s ~20 ms
 * of its own (bench/core.js). This is the part of HTTP/1.1 one request needs: a request with Content-Length,
 * `Connection: close`, and a response read as it arrives — status line, headers, then a body framed by
 * Content-Length, chunked transfer coding, or the end of the connection. `https:` URLs use node:https.
 */
import type { Socket } from 'node:net';

export interface Http1Response {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Map<string, string>;
}

export interface Http1Handlers {
  /** The status line and headers (1xx interim responses are skipped). */
  onResponse(response: Http1Response): void;
  /** Body text as it arrives, decoded as UTF-8 (a character split between packets arrives whole). */
  onData(text: string): void;
  /** The whole body has arrived. */
  onEnd(): void;
  /** The connection failed, or the response broke the protocol. Nothing is called after it. */
  onError(error: Error): void;
}

export interface Http1Request {
  /** Closes the connection; no handler is called after it. */
  destroy(): void;
}

const HEAD_LIMIT = 64 * 1024;
// Security: a header value with CR or LF would end the header early and inject others (request splitting).
const UNSAFE_HEADER = /[\r\n\0]/;

/** A request header that cannot be sent as it is (the request was not sent). */
export class InvalidHeaderError extends TypeError {
  constructor(readonly header: string) {
    super(`invalid character in HTTP header ${JSON.stringify(header)}`);
    this.name = 'InvalidHeaderError';
  }
}

class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpProtocolError';
  }
}

/** Throws InvalidHeaderError for a header name or value that would break a request's framing. */
export function checkHeaders(headers: Record<string, string | number>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || UNSAFE_HEADER.test(String(value))) {
      throw new InvalidHeaderError(name);
    }
  }
}

/** The request head and body (the headers checked with checkHeaders). */
function encodeRequest(url: URL, headers: Record<string, string | number>, body: string): string {
  checkHeaders(headers);
  let head = `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${String(value)}\r\n`;
  return `${head}\r\n${body}`;
}

/** Body framing, fed the bytes after the head; returns true once the body is complete. */
type BodyReader = (bytes: Buffer) => boolean;

function lengthReader(length: number, emit: (bytes: Buffer) => void): BodyReader {
  let left = length;
  return bytes => {
    const take = bytes.subarray(0, left);
    left -= take.length;
    if (take.length > 0) emit(take);
    return left === 0;
  };
}

function chunkedReader(emit: (bytes: Buffer) => void): BodyReader {
  let pending: Buffer = Buffer.alloc(0);
  let left = -1; // bytes of the current chunk still to come; -1: a size line is next
  let done = false;
  return bytes => {
    pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
    while (!done) {
      if (left > 0) {
        const take = pending.subarray(0, left);
        if (take.length === 0) break;
        emit(take);
        left -= take.length;
        pending = pending.subarray(take.length);
        continue;
      }
      // After a chunk's data comes its CRLF; before the first chunk, none.
      const lineEnd = pending.indexOf('\r\n');
      if (lineEnd === -1) {
        if (pending.length > 1024) throw new ProtocolError('a chunk size line is too long');
        break;
      }
      const line = pending.subarray(0, lineEnd).toString('latin1');
      pending = pending.subarray(lineEnd + 2);
      if (left === 0) {
        if (line !== '') throw new ProtocolError('a chunk is longer than its size');
        left = -1;
        continue;
      }
      const size = Number.parseInt(line.split(';')[0] ?? '', 16);
      if (!/^[0-9a-fA-F]+/.test(line) || !Number.isSafeInteger(size)) {
        throw new ProtocolError(`bad chunk size line ${JSON.stringify(line.slice(0, 40))}`);
      }
      // The last chunk (size 0) ends the body; trailers, if any, are not read.
      if (size === 0) done = true;
      else left = size;
    }
    return done;
  };
}

function parseHead(text: string): Http1Response {
  const [statusLine = '', ...lines] = text.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
  if (!match) throw new ProtocolError(`not an HTTP/1.1 response: ${JSON.stringify(statusLine.slice(0, 60))}`);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ProtocolError(`bad header line ${JSON.stringify(line.slice(0, 60))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const earlier = headers.get(name);
    headers.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
  }
  return { status: Number(match[1]), headers };
}

/** Sends `body` to `url` (http:) and reports the response through `handlers`. */
export function postHttp1(
  url: URL,
  headers: Record<string, string | number>,
  body: string,
  handlers: Http1Handlers,
): Http1Request {
  const request = encodeRequest(url, { ...headers, 'content-length': Buffer.byteLength(body) }, body);
  const { connect } = process.getBuiltinModule('node:net');
  const port = url.port === '' ? 80 : Number(url.port);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const socket: Socket = connect({ host, port });
  const decoder = new TextDecoder('utf-8');
  let finished = false;
  let head: Buffer = Buffer.alloc(0);
  let readBody: BodyReader | undefined;
  let untilClose = false;

  const stop = (): void => {
    finished = true;
    socket.destroy();
  };
  const fail = (error: Error): void => {
    if (finished) return;
    stop();
    handlers.onError(error);
  };
  const end = (): void => {
    if (finished) return;
    const rest = decoder.decode();
    if (rest !== '') handlers.onData(rest);
    stop();
    handlers.onEnd();
  };
  const emit = (bytes: Buffer): void => {
    if (finished) return; // a handler may destroy the request while a packet is being read
    const text = decoder.decode(bytes, { stream: true });
    if (text !== '') handlers.onData(text);
  };
  const feedBody = (bytes: Buffer): void => {
    if (readBody && readBody(bytes)) end();
  };

  socket.on('data', (bytes: Buffer) => {
    if (finished) return;
    try {
      if (readBody || untilClose) {
        if (untilClose) emit(bytes);
        else feedBody(bytes);
        return;
      }
      head = head.length === 0 ? bytes : Buffer.concat([head, bytes]);
      for (;;) {
        const headEnd = head.indexOf('\r\n\r\n');
        if (headEnd === -1) {
          if (head.length > HEAD_LIMIT) throw new ProtocolError('the response headers are too long');
          return;
        }
        const response = parseHead(head.subarray(0, headEnd).toString('latin1'));
        const after = head.subarray(headEnd + 4);
        if (response.status < 200) {
          head = after; // an interim response (100 Continue): the real one follows
          continue;
        }
        handlers.onResponse(response);
        if (finished) return;
        const coding = response.headers.get('transfer-encoding');
        const length = response.headers.get('content-length');
        if (coding !== undefined && /(^|,)\s*chunked\s*$/i.test(coding)) {
          readBody = chunkedReader(emit);
        } else if (length !== undefined) {
          if (!/^\d+$/.test(length)) throw new ProtocolError(`bad content-length ${JSON.stringify(length)}`);
          readBody = lengthReader(Number(length), emit);
          if (Number(length) === 0) {
            end();
            return;
          }
        } else {
          untilClose = true;
        }
        if (after.length > 0) {
          if (untilClose) emit(after);
          else feedBody(after);
        }
        return;
      }
    } catch (error) {
      fail(error as Error);
    }
  });
  socket.on('end', () => {
    if (untilClose) end();
    else fail(new ProtocolError('the server closed the connection before the response was complete'));
  });
  socket.on('error', fail);
  socket.on('close', () => {
    if (!finished) fail(new ProtocolError('the connection closed before the response was complete'));
  });
  // Not end(): a server may take the client's half-close for an aborted request. `Connection: close` has the
  // server close the connection once it has answered.
  socket.write(request);
  return { destroy: stop };
}
