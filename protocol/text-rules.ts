/** Shared input rules for human text: what AZ-OS refuses in titles and prompts, and why. */
import * as z from 'zod';
import { lazySchema } from './lazy-schema.js';

// Security: C0/C1 controls and bidirectional overrides in a title can rewrite a terminal line or make one
// task's title read like another's ("Trojan Source"). Titles are one line of plain text.

const TITLE_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f]/u;
const NUL = /\u0000/u;

export const TitleSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .refine(value => !TITLE_FORBIDDEN.test(value), {
      message: 'must be one line of plain text (no control characters or bidirectional overrides)',
    })
    .transform(value => value.normalize('NFC')),
);

export const PromptSchema = lazySchema(() =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(100_000, 'must be at most 100,000 characters')
    .refine(value => !NUL.test(value), { message: 'must not contain NUL characters' }),
);

export const AbsolutePathSchema = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(4096, 'must be at most 4096 characters')
    .refine(value => !NUL.test(value), { message: 'must not contain NUL characters' })
    .refine(value => value.startsWith('/'), { message: 'must be an absolute path' }),
);

export const IdSchema = lazySchema(() =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(64, 'is too long to be an id')
    .regex(/^[A-Za-z0-9-]+$/, 'must be a task id (letters, digits and dashes)'),
);

export const ModelNameSchema = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._:/@+-]+$/, 'must be a model or route name (letters, digits and ._:/@+-)'),
);
