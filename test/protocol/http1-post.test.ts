/**
 * The CLI's one-request HTTP/1.1 client (protocol/http1-post.ts) against raw TCP servers that answer byte by
 * byte as a test needs: every body framing, UTF-8 split between packets, interim responses, broken and hostile
 * answers, and request headers that would split the request. (Against the real `az serve` it is exercised by
 * test/cli/stateless-http.test.ts and every CLI test over HTTP.)
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postHttp1, type Http1Response } from '../../protocol/http1-post.js';

interface Outcome {
  response: Http1Response | undefined;
  body: string;
  pieces: string[];
  error: Error | undefined;
}

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A TCP server that hands each connection, and the request bytes received so far, to `answer`. */
async function rawServer(answer: (socket: Socket, request: () => string) => void): Promise<URL> {
  server = createServer(socket => {
    let received = '';
    socket.on('data', bytes => (received += bytes.toString('latin1')));
    socket.on('error', () => undefined);
    answer(socket, () => received);
  });
  await new Promise<void>(resolve => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return new URL(`http://127.0.0.1:${address.port}/mcp?x=1`);
}

/** Writes `parts` one by one, a few milliseconds apart, so the client sees them as separate packets. */
function writeSlowly(socket: Socket, parts: (string | Buffer)[], then: 'end' | 'keep' = 'end'): void {
  let index = 0;
  const next = (): void => {
    if (index === parts.length) {
      if (then === 'end') socket.end();
      return;
    }
    socket.write(parts[index] as string | Buffer);
    index += 1;
    setTimeout(next, 5);
  };
  next();
}

function post(url: URL, headers: Record<string, string> = {}, body = '{"a":1}'): Promise<Outcome> {
  return new Promise(resolve => {
    const outcome: Outcome = { response: undefined, body: '', pieces: [], error: undefined };
    postHttp1(url, { 'content-type': 'application/json', ...headers }, body, {
      onResponse: response => (outcome.response = response),
      onData: text => {
        outcome.body += text;
        outcome.pieces.push(text);
      },
      onEnd: () => resolve(outcome),
      onError: error => resolve({ ...outcome, error }),
    });
  });
}

/** Waits until the server has received a whole request (head and Content-Length body). */
function whenRequestArrives(request: () => string, then: () => void): void {
  const check = (): void => {
    const text = request();
    const headEnd = text.indexOf('\r\n\r\n');
    const length = /content-length: (\d+)/i.exec(text);
    if (headEnd !== -1 && length && text.length >= headEnd + 4 + Number(length[1])) then();
    else setTimeout(check, 2);
  };
  check();
}

describe('one HTTP/1.1 POST over a socket', () => {
  it('sends a well-formed request and reads a Content-Length body that arrives in pieces', async () => {
    let seen = '';
    const url = await rawServer((socket, request) =>
      whenRequestArrives(request, () => {
        seen = request();
        writeSlowly(socket, [
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Le',
          'ngth: 12\r\nX-Twice: a\r\nX-Twice: b\r\n\r\n{"ok":',
          'true}\n',
        ]);
      }),
    );
    const outcome = await post(url, { authorization: 'Bearer t0k' }, '{"jsonrpc":"2.0"}');
    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.status).toBe(200);
    expect(outcome.response?.headers.get('content-type')).toBe('application/json');
    expect(outcome.response?.headers.get('x-twice')).toBe('a, b');
    expect(outcome.body).toBe('{"ok":true}\n');
    expect(seen).toBe(
      `POST /mcp?x=1 HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n` +
        'content-type: application/json\r\nauthorization: Bearer t0k\r\ncontent-length: 17\r\n\r\n' +
        '{"jsonrpc":"2.0"}',
    );
  });

  it('decodes a chunked body, with a UTF-8 character split between chunks and packets', async () => {
    const text = 'tâche ✓ 任务 🚀 done';
    const bytes = Buffer.from(text, 'utf8');
    // Chunks cut inside multi-byte characters; chunk sizes in hex, one with an extension.
    const cuts = [3, 9, 14, bytes.length];
    const chunks: Buffer[] = [];
    let from = 0;
    for (const cut of cuts) {
      const piece = bytes.subarray(from, cut);
      chunks.push(
        Buffer.concat([Buffer.from(`${piece.length.toString(16)};ext=1\r\n`), piece, Buffer.from('\r\n')]),
      );
      from = cut;
    }
    const wire = Buffer.concat([
      Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n'),
      ...chunks,
      Buffer.from('0\r\n\r\n'),
    ]);
    // Sent in packets that cut across chunk headers, data and CRLFs alike.
    const packets: Buffer[] = [];
    for (let index = 0; index < wire.length; index += 7) packets.push(wire.subarray(index, index + 7));
    // The server keeps the connection open: the last chunk, not the close, ends the body.
    const url = await rawServer((socket, request) =>
      whenRequestArrives(request, () => writeSlowly(socket, packets, 'keep')),
    );
    const outcome = await post(url);
    expect(outcome.error).toBeUndefined();
    expect(outcome.body).toBe(text);
    expect(outcome.pieces.join('')).toBe(text);
    expect(outcome.pieces.some(piece => piece.includes('\uFFFD'))).toBe(false);
  });

  it('reads a body without a length until the server closes, and skips a 100 Continue', async () => {
    const url = await rawServer((socket, request) =>
      whenRequestArrives(request, () =>
        writeSlowly(socket, ['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 201 Created\r\n\r\nall ', 'of it']),
      ),
    );
    const outcome = await post(url);
    expect(outcome.error).toBeUndefined();
    expect(outcome.response?.status).toBe(201);
    expect(outcome.body).toBe('all of it');
  });

  it('reports an answer cut short, a broken status line and a bad chunk size as errors', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nonly this',
      'SSH-2.0-OpenSSH_9.6\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n',
    ];
    for (const answer of answers) {
      const url = await rawServer((socket, request) => whenRequestArrives(request, () => socket.end(answer)));
      const outcome = await post(url);
      expect(outcome.error, answer).toBeInstanceOf(Error);
      expect(outcome.error?.message, answer).toMatch(
        /before the response was complete|not an HTTP|chunk size/,
      );
      await new Promise<void>(resolve => server?.close(() => resolve()));
      server = undefined;
    }
  });

  it('refuses endless headers instead of buffering them', async () => {
    const url = await rawServer((socket, request) =>
      whenRequestArrives(request, () => {
        socket.write('HTTP/1.1 200 OK\r\n');
        const line = `X-Fill: ${'a'.repeat(1000)}\r\n`;
        const flood = (): void => {
          if (!socket.destroyed && socket.write(line.repeat(16))) setImmediate(flood);
          else if (!socket.destroyed) socket.once('drain', flood);
        };
        flood();
      }),
    );
    const outcome = await post(url);
    expect(outcome.error?.message).toMatch(/headers are too long/);
  });

  it('refuses header values that would split the request, before connecting', async () => {
    let connections = 0;
    const url = await rawServer(socket => {
      connections += 1;
      socket.end();
    });
    for (const hostile of ['t0k\r\nX-Admin: yes', 'a\nb', 'nul\0']) {
      expect(() =>
        postHttp1(url, { authorization: `Bearer ${hostile}` }, '{}', {
          onResponse: () => undefined,
          onData: () => undefined,
          onEnd: () => undefined,
          onError: () => undefined,
        }),
      ).toThrow(/invalid character in HTTP header "authorization"/);
    }
    expect(() =>
      postHttp1(url, { 'bad name': 'x' }, '{}', {
        onResponse: () => undefined,
        onData: () => undefined,
        onEnd: () => undefined,
        onError: () => undefined,
      }),
    ).toThrow(/invalid character in HTTP header/);
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(connections).toBe(0);
  });

  it('reports a refused connection with its errno code, and destroy() silences the request', async () => {
    const url = await rawServer(() => undefined);
    const port = url.port;
    await new Promise<void>(resolve => server?.close(() => resolve()));
    server = undefined;
    const outcome = await post(new URL(`http://127.0.0.1:${port}/mcp`));
    expect((outcome.error as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNREFUSED');

    let called = false;
    const live = await rawServer((socket, request) =>
      whenRequestArrives(request, () => setTimeout(() => socket.end('HTTP/1.1 200 OK\r\n\r\nlate'), 30)),
    );
    const request = postHttp1(live, {}, '{}', {
      onResponse: () => (called = true),
      onData: () => (called = true),
      onEnd: () => (called = true),
      onError: () => (called = true),
    });
    await new Promise(resolve => setTimeout(resolve, 10));
    request.destroy();
    await new Promise(resolve => setTimeout(resolve, 60));
    expect(called).toBe(false);

    // A handler that destroys the request hears nothing more, even from the rest of the same packet.
    await new Promise<void>(resolve => server?.close(() => resolve()));
    const onePacket = await rawServer((socket, request) =>
      whenRequestArrives(request, () =>
        socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n'),
      ),
    );
    const heard: string[] = [];
    await new Promise<void>(resolve => {
      const handle = postHttp1(onePacket, {}, '{}', {
        onResponse: () => undefined,
        onData: text => {
          heard.push(text);
          handle.destroy();
          setTimeout(resolve, 30);
        },
        onEnd: () => heard.push('(end)'),
        onError: error => heard.push(`(error ${error.message})`),
      });
    });
    expect(heard).toEqual(['abc']);
  });
});
