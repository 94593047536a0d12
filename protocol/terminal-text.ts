/**
 * Making server text safe to show in a terminal. Shared by every terminal client (the `az` CLI and the
 * dashboard), because both print text that came from models, tools and other users.
 *
 * Security: task titles, results, logs and tool output may contain ANSI or OSC escape sequences (a model's
 * output, a file it read). Printed raw they could rewrite the terminal, set its title, plant hyperlinks or
 * hide text; C1 controls and bidirectional overrides can make one line read like another ("Trojan Source").
 * Every string from the server passes through `clean` before it reaches a TTY.
 */

const ESCAPES =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[PX^_][^\u001b]*\u001b\\|\u001b./gu;

const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Strips escape sequences and control characters. Newlines and tabs become spaces unless `multiline` is set
 * (then they are kept, and a lone escape byte never survives either way).
 */
export function clean(text: string, options: { multiline?: boolean } = {}): string {
  const stripped = text.replace(ESCAPES, '').replace(CONTROLS, '');
  return options.multiline ? stripped : stripped.replace(/[\n\t]+/g, ' ');
}
