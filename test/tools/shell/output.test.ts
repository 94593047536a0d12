import { describe, expect, it } from 'vitest';
import { commandEnvironment, isSecretVariable } from '../../../tools/shell/environment.js';
import { OutputCapture } from '../../../tools/shell/output-capture.js';
import { stripTerminalControls } from '../../../tools/shell/terminal-text.js';

describe('output capture', () => {
  it('keeps everything under the limit', () => {
    const capture = new OutputCapture(100);
    capture.write(Buffer.from('hello '));
    capture.write(Buffer.from('world'));
    expect(capture.text()).toBe('hello world');
    expect(capture.droppedBytes).toBe(0);
  });

  it('keeps the head and the tail and counts the middle, whatever the chunking', () => {
    const data = Buffer.from(
      Array.from({ length: 1000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(''),
    );
    for (const chunk of [1, 7, 64, 1000]) {
      const capture = new OutputCapture(100);
      for (let offset = 0; offset < data.length; offset += chunk)
        capture.write(data.subarray(offset, offset + chunk));
      expect(capture.totalBytes).toBe(1000);
      expect(capture.droppedBytes).toBe(900);
      expect(capture.text()).toBe(
        `${data.subarray(0, 50).toString()}\n[… 900 bytes dropped …]\n${data.subarray(950).toString()}`,
      );
    }
  });
});

describe('terminal control stripping', () => {
  it.each([
    ['colours', '\u001b[1;31mred\u001b[0m', 'red'],
    ['cursor movement hiding text', 'safe\u001b[2K\u001b[1Ghidden', 'safehidden'],
    ['window title (OSC 0, BEL)', '\u001b]0;pwned\u0007text', 'text'],
    ['hyperlink (OSC 8, ST)', '\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['clipboard write (OSC 52)', '\u001b]52;c;ZXZpbA==\u0007ok', 'ok'],
    ['an unterminated OSC at the end', 'ok\u001b]0;never ends', 'ok'],
    ['DCS string', '\u001bPq#0;2;0;0;0\u001b\\after', 'after'],
    ['C1 CSI', '\u009b31mred', 'red'],
    ['bidi override', 'abc\u202edef', 'abcdef'],
    ['carriage-return progress', '10%\r50%\r100%\n', '10%\n50%\n100%\n'],
  ])('removes %s', (_name, input, expected) => {
    expect(stripTerminalControls(input)).toBe(expected);
  });

  it('keeps text, tabs, newlines and non-ASCII letters', () => {
    expect(stripTerminalControls('a\tb\nÄ ü 日本 ✓')).toBe('a\tb\nÄ ü 日本 ✓');
  });
});

describe('command environment', () => {
  it('passes an allow-list and never secrets, even when asked to', () => {
    const env = commandEnvironment(
      {
        PATH: '/usr/bin',
        HOME: '/home/u',
        LC_ALL: 'C',
        OPENAI_API_KEY: 'sk',
        AZ_LLM_API_KEY: 'x',
        AZ_DB_KEY: 'x',
        AZ_HOME: '/home/u/.az-os',
        AWS_SECRET_ACCESS_KEY: 'x',
        GH_TOKEN: 'x',
        SSH_AUTH_SOCK: '/tmp/agent',
        DATABASE_URL: 'postgres://u:p@h/db',
        NODE_ENV: 'test',
        EDITOR: 'vi',
      },
      { passthrough: ['NODE_ENV', 'GH_TOKEN', 'DATABASE_URL', 'AZ_*'] },
    );
    expect(Object.keys(env).sort()).toEqual(
      [
        'GIT_PAGER',
        'GIT_TERMINAL_PROMPT',
        'HOME',
        'LC_ALL',
        'NODE_ENV',
        'NO_COLOR',
        'PAGER',
        'PATH',
        'TERM',
      ].sort(),
    );
  });

  it.each([
    'OPENAI_API_KEY',
    'ANTHROPIC_API_KEY',
    'AZ_TOKEN',
    'MY_SERVICE_PASSWORD',
    'NPM_TOKEN',
    'SESSION_SECRET',
  ])('treats %s as a secret', name => expect(isSecretVariable(name, 'x')).toBe(true));

  it.each(['PATH', 'LANG', 'KEYBOARD_LAYOUT', 'TOKENIZERS_PARALLELISM_OFF_BY_DEFAULT'])('passes %s', name =>
    expect(isSecretVariable(name, 'x')).toBe(false),
  );
});
