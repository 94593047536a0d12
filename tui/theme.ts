/**
 * Colours and symbols. Every status has a symbol as well as a colour, so nothing is told by colour alone; with
 * NO_COLOR set (https://no-color.org) no colour is emitted at all and emphasis uses bold and inverse only.
 */
import type { TaskStatus } from '../protocol/task.js';

export type Colour = 'green' | 'red' | 'yellow' | 'blue' | 'cyan' | 'magenta' | 'gray' | 'white';

export interface Theme {
  colour: boolean;
  /** The colour for a status, or undefined without colour. */
  status(status: TaskStatus): Colour | undefined;
  /** A named colour when colour is on. */
  tint(colour: Colour): Colour | undefined;
}

const STATUS_COLOURS: Record<TaskStatus, Colour> = {
  INITIALIZED: 'gray',
  PENDING: 'blue',
  RUNNING: 'cyan',
  COMPLETED: 'green',
  FAILED: 'red',
  RETRYING: 'yellow',
  CANCELLED: 'magenta',
  FINALIZED: 'gray',
};

export const STATUS_SYMBOLS: Record<TaskStatus, string> = {
  INITIALIZED: '○',
  PENDING: '◌',
  RUNNING: '●',
  COMPLETED: '✓',
  FAILED: '✗',
  RETRYING: '↻',
  CANCELLED: '⊘',
  FINALIZED: '·',
};

/** NO_COLOR disables colour when it is set to any non-empty value. */
export function colourWanted(env: Record<string, string | undefined>): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

export function createTheme(colour: boolean): Theme {
  return {
    colour,
    status: status => (colour ? STATUS_COLOURS[status] : undefined),
    tint: value => (colour ? value : undefined),
  };
}
