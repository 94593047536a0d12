/**
 * The dashboard's keys: one table drives key handling, the footer hints and the help screen, so they cannot
 * drift apart. Actions a token's role may not take stay listed but are drawn disabled.
 */
import type { Key } from 'ink';

export type Screen = 'tasks' | 'detail' | 'cost' | 'system';

export type Command =
  | { type: 'move'; delta: number }
  | { type: 'move-to'; where: 'first' | 'last' }
  | { type: 'page'; direction: 1 | -1 }
  | { type: 'open' }
  | { type: 'back' }
  | { type: 'tab'; tab: 'tasks' | 'cost' | 'system' }
  | { type: 'filter' }
  | { type: 'sort-next' }
  | { type: 'sort-reverse' }
  | { type: 'new-task' }
  | { type: 'cancel' }
  | { type: 'retry' }
  | { type: 'retry-from-start' }
  | { type: 'follow' }
  | { type: 'help' }
  | { type: 'quit' };

/** Actions that change tasks: disabled for viewer tokens. */
export type TaskAction = 'new-task' | 'cancel' | 'retry' | 'retry-from-start';

export interface Binding {
  keys: string;
  help: string;
  /** Short label for the footer (omitted: help screen only). */
  hint?: string;
  /** Screens whose footer shows the hint (default: all of `screens`). */
  hintScreens?: readonly Screen[];
  screens: readonly Screen[];
  command: Command;
  match: (input: string, key: Key) => boolean;
}

const ALL: readonly Screen[] = ['tasks', 'detail', 'cost', 'system'];
const char = (value: string) => (input: string, key: Key) => input === value && !key.ctrl && !key.meta;

export const BINDINGS: readonly Binding[] = [
  {
    keys: 'j ↓',
    help: 'Move down (in the task view: scroll the step log)',
    hint: 'j/k move',
    screens: ['tasks', 'detail'],
    command: { type: 'move', delta: 1 },
    match: (input, key) => key.downArrow || char('j')(input, key),
  },
  {
    keys: 'k ↑',
    help: 'Move up',
    screens: ['tasks', 'detail'],
    command: { type: 'move', delta: -1 },
    match: (input, key) => key.upArrow || char('k')(input, key),
  },
  {
    keys: 'PgDn ^D',
    help: 'Page down',
    screens: ['tasks', 'detail'],
    command: { type: 'page', direction: 1 },
    match: (input, key) => key.pageDown || (key.ctrl && input === 'd'),
  },
  {
    keys: 'PgUp ^U',
    help: 'Page up',
    screens: ['tasks', 'detail'],
    command: { type: 'page', direction: -1 },
    match: (input, key) => key.pageUp || (key.ctrl && input === 'u'),
  },
  {
    keys: 'g Home',
    help: 'First row',
    screens: ['tasks', 'detail'],
    command: { type: 'move-to', where: 'first' },
    match: (input, key) => key.home || char('g')(input, key),
  },
  {
    keys: 'G End',
    help: 'Last row (in the step log: follow new steps)',
    screens: ['tasks', 'detail'],
    command: { type: 'move-to', where: 'last' },
    match: (input, key) => key.end || char('G')(input, key),
  },
  {
    keys: '⏎',
    help: 'Open the selected task (steps, tool calls, checkpoints)',
    hint: '⏎ open',
    screens: ['tasks'],
    command: { type: 'open' },
    match: (_input, key) => key.return,
  },
  {
    keys: 'Esc ⌫ h',
    help: 'Back to the task list (on the task list: clear the filter)',
    hint: 'esc back',
    screens: ALL,
    hintScreens: ['detail', 'cost', 'system'],
    command: { type: 'back' },
    match: (input, key) =>
      key.escape || key.backspace || key.delete || key.leftArrow || char('h')(input, key),
  },
  {
    keys: 'f',
    help: 'Follow the step log as new steps arrive',
    hint: 'f follow',
    screens: ['detail'],
    command: { type: 'follow' },
    match: char('f'),
  },
  {
    keys: '/',
    help: 'Filter tasks by words in the title, id, status or model (Esc clears)',
    hint: '/ filter',
    screens: ['tasks'],
    command: { type: 'filter' },
    match: char('/'),
  },
  {
    keys: 's',
    help: 'Sort by the next column (created, updated, status, cost, steps, title)',
    hint: 's sort',
    screens: ['tasks'],
    command: { type: 'sort-next' },
    match: char('s'),
  },
  {
    keys: 'S',
    help: 'Reverse the sort order',
    screens: ['tasks'],
    command: { type: 'sort-reverse' },
    match: char('S'),
  },
  {
    keys: 'n',
    help: 'New task: type a prompt, Enter queues it',
    hint: 'n new',
    screens: ALL,
    command: { type: 'new-task' },
    match: char('n'),
  },
  {
    keys: 'c',
    help: 'Cancel the selected task (asks first)',
    hint: 'c cancel',
    screens: ['tasks', 'detail'],
    command: { type: 'cancel' },
    match: char('c'),
  },
  {
    keys: 'r',
    help: 'Resume the selected task where it stopped (when the server can), else retry a FAILED task',
    hint: 'r retry',
    screens: ['tasks', 'detail'],
    command: { type: 'retry' },
    match: char('r'),
  },
  {
    keys: 'R',
    help: 'Retry a FAILED task from the beginning (a new attempt)',
    screens: ['tasks', 'detail'],
    command: { type: 'retry-from-start' },
    match: char('R'),
  },
  {
    keys: '1 2 3',
    help: 'Tasks, cost and system views (Tab cycles)',
    hint: '1-3 views',
    screens: ALL,
    command: { type: 'tab', tab: 'tasks' },
    match: () => false,
  },
  {
    keys: '?',
    help: 'This help',
    hint: '? help',
    screens: ALL,
    command: { type: 'help' },
    match: char('?'),
  },
  {
    keys: 'q ^C',
    help: 'Quit',
    hint: 'q quit',
    screens: ALL,
    command: { type: 'quit' },
    match: (input, key) => char('q')(input, key) || (key.ctrl && input === 'c'),
  },
];

const TABS = ['tasks', 'cost', 'system'] as const;

/** The command for a key on a screen, or undefined. */
export function commandFor(input: string, key: Key, screen: Screen): Command | undefined {
  if (!key.ctrl && !key.meta && ['1', '2', '3'].includes(input)) {
    return { type: 'tab', tab: TABS[Number(input) - 1] as (typeof TABS)[number] };
  }
  if (key.tab) {
    const current = screen === 'detail' ? 'tasks' : screen;
    const next = TABS[(TABS.indexOf(current) + (key.shift ? TABS.length - 1 : 1)) % TABS.length];
    return { type: 'tab', tab: next as (typeof TABS)[number] };
  }
  return BINDINGS.find(binding => binding.screens.includes(screen) && binding.match(input, key))?.command;
}

export function isTaskAction(command: Command): command is Command & { type: TaskAction } {
  return ['new-task', 'cancel', 'retry', 'retry-from-start'].includes(command.type);
}
