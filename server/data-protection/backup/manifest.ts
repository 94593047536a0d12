/**
 * manifest.json: what a backup holds, written last (a directory without one is not a backup). Every file is
 * listed with its size and SHA-256, so a restore can prove the copy is whole before it touches anything.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import * as z from 'zod';
import { lazySchema } from '../../../protocol/lazy-schema.js';
import { AppError, describeZodError } from '../../../protocol/errors.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'az-os-backup';
export const MANIFEST_VERSION = 1;

/**
 * Security: a manifest comes from disk and may be hostile. Paths must be relative, normalised, free of `..`
 * and inside the parts of a home a backup may hold; anything else is refused before a byte is copied.
 */
const SAFE_PATH = /^(az\.db|config\.json|(chroma|checkpoints)\/[^\0]+)$/;

export function isSafeBackupPath(path: string): boolean {
  return (
    SAFE_PATH.test(path) &&
    posix.normalize(path) === path &&
    !path.split('/').some(part => part === '..' || part === '.' || part === '') &&
    !path.includes('\\')
  );
}

const BackupFileSchema = lazySchema(() =>
  z.strictObject({
    path: z.string().min(1).max(4096).refine(isSafeBackupPath, 'is not a path a backup may contain'),
    size: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
);
export type BackupFile = z.infer<ReturnType<typeof BackupFileSchema>>;

export const ManifestSchema = lazySchema(() =>
  z.strictObject({
    format: z.literal(MANIFEST_FORMAT),
    version: z.literal(MANIFEST_VERSION),
    created_at: z.string(),
    az_version: z.string(),
    profile: z.string(),
    source_home: z.string(),
    database: z.strictObject({
      file: z.literal('az.db'),
      encrypted: z.boolean(),
      cipher: z.string().nullable(),
      schema_version: z.number().int().min(0),
    }),
    chroma: z.strictObject({ included: z.boolean() }),
    checkpoints: z.strictObject({ included: z.boolean() }),
    files: z.array(BackupFileSchema()).max(1_000_000),
  }),
);
export type Manifest = z.infer<ReturnType<typeof ManifestSchema>>;

export function readManifest(path: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError(
      'INVALID_INPUT',
      `${path} is missing or not valid JSON: this is not a complete AZ-OS backup`,
      {
        cause: error,
        hint: 'Point at a directory written by `az db backup` (it holds manifest.json); a backup interrupted midway has none.',
      },
    );
  }
  const parsed = ManifestSchema().safeParse(json);
  if (!parsed.success) {
    throw new AppError(
      'INVALID_INPUT',
      `${path} is not an AZ-OS backup manifest: ${describeZodError(parsed.error)}`,
    );
  }
  const seen = new Set<string>();
  for (const file of parsed.data.files) {
    if (seen.has(file.path)) throw new AppError('INVALID_INPUT', `${path} lists ${file.path} twice`);
    seen.add(file.path);
  }
  if (!seen.has('az.db')) throw new AppError('INVALID_INPUT', `${path} does not list the database (az.db)`);
  return parsed.data;
}
