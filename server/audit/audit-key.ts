/**
 * The key that seals the audit chain: 32 random bytes in AZ_HOME/audit.key (0600), outside the database, so
 * someone who can edit az.db cannot also recompute the hashes without reading this file.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../protocol/errors.js';

export function auditKeyPath(home: string): string {
  return join(home, 'audit.key');
}

export function loadAuditKey(home: string): Buffer {
  const path = auditKeyPath(home);
  try {
    // Security: created 0600 from the first byte, and never overwritten (wx).
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new AppError('UNAVAILABLE', `${path} is not an audit key (64 hex characters)`, {
      hint: 'Restore it from a backup; without it the audit log cannot be verified.',
    });
  }
  return Buffer.from(text, 'hex');
}
