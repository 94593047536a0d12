/**
 * Creating and checking an AZ_HOME: directories (0700), config.json, the JSON Schema for editors, the admin
 * token file (0600) and the database with every migration. Idempotent: a second run creates nothing and
 * reports what was already there.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as z from 'zod';
import { AppError } from '../protocol/errors.js';
import { VERSION } from '../protocol/version.js';
import { writeConfigFile } from './config/config-file.js';
import { ConfigSchema } from './config/schema.js';
import type { HomePaths } from './home.js';

export interface InitReport {
  created: string[];
  existing: string[];
}

function ensureDir(path: string, report: InitReport): void {
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) {
      throw new AppError('CONFLICT', `${path} exists but is not a directory`, {
        hint: 'Move it away or choose another home with --home or AZ_HOME.',
      });
    }
    report.existing.push(path);
    return;
  }
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AppError('UNAVAILABLE', `cannot create ${path}: ${(error as Error).message}`, {
      cause: error,
      hint: 'Check the permissions of the parent directory, or choose another home with --home or AZ_HOME.',
    });
  }
  report.created.push(path);
}

export function generateToken(): string {
  return `azos_${randomBytes(32).toString('base64url')}`;
}

/**
 * config.schema.json gives editors completion for config.json. Written when missing or written by another
 * version (its $id carries the version), so ordinary commands do not pay for regenerating it.
 */
function writeConfigSchema(paths: HomePaths, report: InitReport): void {
  const id = `az-os-config-${VERSION}`;
  if (
    existsSync(paths.configSchemaFile) &&
    readFileSync(paths.configSchemaFile, 'utf8').includes(`"$id": "${id}"`)
  )
    return;
  const schema = { $id: id, ...z.toJSONSchema(ConfigSchema(), { io: 'input' }) };
  writeFileSync(paths.configSchemaFile, `${JSON.stringify(schema, null, 2)}\n`);
  report.created.push(paths.configSchemaFile);
}

/** Creates what is missing in the home; never overwrites a file that exists. */
export function initHomeFiles(paths: HomePaths): InitReport {
  const report: InitReport = { created: [], existing: [] };
  ensureDir(paths.home, report);
  for (const dir of [paths.logsDir, paths.workspacesDir]) ensureDir(dir, report);
  if (existsSync(paths.configFile)) {
    report.existing.push(paths.configFile);
  } else {
    writeConfigFile(paths.configFile, { $schema: './config.schema.json' });
    report.created.push(paths.configFile);
  }
  writeConfigSchema(paths, report);
  if (existsSync(paths.tokenFile)) {
    report.existing.push(paths.tokenFile);
  } else {
    // Security: the token is created with 0600 from the first byte (no chmod window).
    writeFileSync(paths.tokenFile, `${generateToken()}\n`, { mode: 0o600, flag: 'wx' });
    report.created.push(paths.tokenFile);
  }
  chmodSync(paths.tokenFile, 0o600);
  return report;
}
