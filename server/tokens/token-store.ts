/**
 * HTTP tokens with a role (admin, operator, viewer), beside the admin token file.
 *
 * Security: a token is 256 random bits, shown once when created; only its SHA-256 is stored, so the database
 * (or a backup of it) never yields a usable token. Lookup is by hash, then compared in constant time. A revoked
 * token stops working at its next request (every HTTP request is authenticated). Names are unique forever.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../protocol/errors.js';
import type { Role } from '../../protocol/tool-contract.js';
import type { TokenInfo } from '../../protocol/tools/token-tools.js';
import { secretsEqual, type TokenResolver } from '../http/auth.js';
import { writeTransaction, type Db } from '../store/database.js';

/** Tokens from this store start with this, so they are recognisable in a leak scan. */
export const TOKEN_PREFIX = 'azos_t_';
/** last_used_at is written at most this often per token (a write per request would cost an fsync each). */
const LAST_USED_RESOLUTION_MS = 60_000;
/** Names the server uses for its own principals. */
const RESERVED_NAMES = new Set(['admin']);

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  token_sha256: string;
  prefix: string;
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function toInfo(row: TokenRow): TokenInfo {
  const iso = (value: number | null): string | null =>
    value === null ? null : new Date(value).toISOString();
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    created_at: new Date(row.created_at).toISOString(),
    created_by: row.created_by,
    last_used_at: iso(row.last_used_at),
    revoked_at: iso(row.revoked_at),
    revoked_by: row.revoked_by,
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;

export function createTokenStore(db: Db, now: () => number = Date.now) {
  const byHash = db.prepare('SELECT * FROM api_tokens WHERE token_sha256 = ?');
  const touch = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');

  const find = (nameOrId: string): TokenRow | undefined =>
    db.prepare('SELECT * FROM api_tokens WHERE id = ? OR name = ?').get(nameOrId, nameOrId) as
      TokenRow | undefined;

  return {
    create(name: string, role: Role, createdBy: string): { token: string; info: TokenInfo } {
      if (RESERVED_NAMES.has(name)) {
        throw new AppError('INVALID_INPUT', `'${name}' is reserved for the admin token file`, {
          hint: 'Choose another name.',
        });
      }
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const row: TokenRow = {
        id: `tok_${randomBytes(6).toString('hex')}`,
        name,
        role,
        token_sha256: sha256(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 4),
        created_at: now(),
        created_by: createdBy,
        last_used_at: null,
        revoked_at: null,
        revoked_by: null,
      };
      writeTransaction(db, () => {
        const existing = find(name);
        if (existing) {
          throw new AppError(
            'CONFLICT',
            `a token named '${name}' already exists${existing.revoked_at === null ? '' : ' (revoked)'}`,
            { hint: 'Names are never reused, so the audit log stays unambiguous; choose another name.' },
          );
        }
        db.prepare(
          `INSERT INTO api_tokens (id, name, role, token_sha256, prefix, created_at, created_by)
           VALUES (@id, @name, @role, @token_sha256, @prefix, @created_at, @created_by)`,
        ).run(row);
      });
      return { token, info: toInfo(row) };
    },

    list(includeRevoked: boolean): TokenInfo[] {
      const rows = db
        .prepare(
          `SELECT * FROM api_tokens ${includeRevoked ? '' : 'WHERE revoked_at IS NULL'} ORDER BY created_at, id`,
        )
        .all() as TokenRow[];
      return rows.map(toInfo);
    },

    revoke(nameOrId: string, revokedBy: string): { info: TokenInfo; already: boolean } {
      return writeTransaction(db, () => {
        const row = find(nameOrId);
        if (!row) {
          throw new AppError('NOT_FOUND', `no token named '${nameOrId}'`, {
            hint: 'az token list shows the tokens.',
          });
        }
        if (row.revoked_at !== null) return { info: toInfo(row), already: true };
        const revokedAt = now();
        db.prepare('UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?').run(
          revokedAt,
          revokedBy,
          row.id,
        );
        return { info: toInfo({ ...row, revoked_at: revokedAt, revoked_by: revokedBy }), already: false };
      });
    },

    /** The TokenResolver the HTTP layer consults after the admin token file. */
    resolver(): TokenResolver {
      return token => {
        if (!token.startsWith(TOKEN_PREFIX)) return undefined;
        const hash = sha256(token);
        const row = byHash.get(hash) as TokenRow | undefined;
        // Security: the hash lookup finds the row; the constant-time compare is the check.
        if (!row || row.revoked_at !== null || !secretsEqual(hash, row.token_sha256)) return undefined;
        const at = now();
        if (row.last_used_at === null || at - row.last_used_at > LAST_USED_RESOLUTION_MS) {
          try {
            writeTransaction(db, () => touch.run(at, row.id));
          } catch {
            // A busy database must not turn a valid token away; the timestamp is informational.
          }
        }
        return { name: row.name, role: row.role, via: 'http' };
      };
    },
  };
}
