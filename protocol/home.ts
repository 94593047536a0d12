/**
 * AZ_HOME and profiles: where each piece of AZ-OS data lives.
 * Shared by the server and every client (clients find the running server through it). `--home` > `AZ_HOME` > `~/.az-os`; a profile
 * other than `default` keeps a separate home under `profiles/NAME` (`--production` is `--profile production`).
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { AppError } from './errors.js';

export interface HomePaths {
  home: string;
  profile: string;
  configFile: string;
  configSchemaFile: string;
  database: string;
  tokenFile: string;
  serverFile: string;
  lockFile: string;
  logsDir: string;
  chromaDir: string;
  checkpointsDir: string;
  workspacesDir: string;
}

export interface HomeOptions {
  home?: string | undefined;
  profile?: string | undefined;
  env: Record<string, string | undefined>;
}

const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export function resolveHome(options: HomeOptions): HomePaths {
  const base = options.home ?? options.env.AZ_HOME ?? join(options.env.HOME ?? homedir(), '.az-os');
  if (base.includes('\0')) throw new AppError('INVALID_INPUT', 'AZ_HOME must not contain NUL characters');
  const profile = options.profile ?? options.env.AZ_PROFILE ?? 'default';
  if (!PROFILE_NAME.test(profile)) {
    throw new AppError('INVALID_INPUT', `invalid profile name '${profile}'`, {
      hint: 'Profile names are 1-32 lower-case letters, digits, - and _, starting with a letter or digit.',
    });
  }
  const root = resolve(isAbsolute(base) ? base : resolve(base));
  const home = profile === 'default' ? root : join(root, 'profiles', profile);
  return {
    home,
    profile,
    configFile: join(home, 'config.json'),
    configSchemaFile: join(home, 'config.schema.json'),
    database: join(home, 'az.db'),
    tokenFile: join(home, 'token'),
    serverFile: join(home, 'server.json'),
    lockFile: join(home, 'server.lock'),
    logsDir: join(home, 'logs'),
    chromaDir: join(home, 'chroma'),
    checkpointsDir: join(home, 'checkpoints'),
    workspacesDir: join(home, 'workspaces'),
  };
}
