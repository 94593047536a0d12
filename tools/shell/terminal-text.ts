/**
 * Making command output safe to hand to a model (and to print): terminal escape sequences removed.
 *
 * Security: output can carry CSI sequences (colours, cursor moves that hide text), OSC sequences (window
 * titles, hyperlinks, clipboard writes via OSC 52), DCS/APC strings, C1 controls and bidi overrides that make
 * text read differently than it is. Models see none of them; progress bars' carriage returns become newlines.
 */

// CSI, OSC (ended by BEL or ST, or cut off at the end), DCS/SOS/PM/APC strings, then any other ESC pair.
const ESCAPES =
  /\u001b\[[0-?]*[ -/]*[@-~]?|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\|$)|\u001b[PX^_][^\u001b]*(?:\u001b\\|$)|\u001b[\s\S]?|\u009b[0-?]*[ -/]*[@-~]?|\u009d[^\u0007\u009c]*[\u0007\u009c]?/gu;

// C0 controls except tab and newline, DEL, C1 controls, and bidi embedding/override/isolate characters.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

export function stripTerminalControls(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(ESCAPES, '').replace(/\r/g, '\n').replace(CONTROLS, '');
}
