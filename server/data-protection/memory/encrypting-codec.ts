/**
 * Encrypting memory documents and metadata before they leave the process.
 *
 * Document text: AES-256-GCM with a random 96-bit nonce per write, the record id as associated data (a
 * ciphertext copied onto another id fails to decrypt), stored as `azenc:v1:<base64url(nonce|ciphertext|tag)>`.
 * Metadata: the whole object is encrypted the same way into one key, `azenc`. Two kinds of keys may stay
 * usable in filters, by the memory service's choice:
 *  - clear keys (e.g. a timestamp for range filters and retention) are stored as they are — visible in Chroma;
 *  - indexed keys are stored as a keyed hash of the value (HMAC-SHA256, 128 bits), so equality filters
 *    ($eq, $ne, $in, $nin, and $contains on lists) still work while the value stays hidden. Equal values give
 *    equal hashes: someone reading Chroma sees which records share a value, not what it is.
 * Both keys derive from one 256-bit data key (HKDF-SHA256 with distinct labels).
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../../../protocol/errors.js';
import type { DocumentCodec, MemoryRecord, Metadata, MetadataValue, WhereFilter } from './document-codec.js';

export const ENVELOPE_PREFIX = 'azenc:v1:';
export const METADATA_KEY = 'azenc';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const INDEX_PREFIX = 'h:';

export interface EncryptingCodecOptions {
  /** The 256-bit data key (data_keys 'memory'). */
  key: Buffer;
  /** Metadata keys stored in clear (visible in Chroma; all filters work on them). */
  clearKeys?: readonly string[];
  /** Metadata keys stored as keyed hashes (equality filters work; values stay hidden). */
  indexedKeys?: readonly string[];
  /** False after `az db decrypt`: old records still decode, new ones are written in clear. */
  encryptNew?: boolean;
}

function derive(key: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `az-os memory ${label} v1`, 32));
}

export function createEncryptingCodec(options: EncryptingCodecOptions): DocumentCodec {
  if (options.key.length !== 32) throw new Error('the memory data key must be 32 bytes');
  const cipherKey = derive(options.key, 'encryption');
  const indexKey = derive(options.key, 'index');
  const clear = new Set(options.clearKeys ?? []);
  const indexed = new Set(options.indexedKeys ?? []);
  for (const key of indexed) {
    if (clear.has(key)) throw new Error(`metadata key ${key} cannot be both clear and indexed`);
  }
  const encryptNew = options.encryptNew ?? true;

  const seal = (plain: string, id: string, part: string): string => {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', cipherKey, nonce);
    cipher.setAAD(Buffer.from(`${id}\0${part}`));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${ENVELOPE_PREFIX}${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
  };

  const open = (sealed: string, id: string, part: string): string => {
    const raw = Buffer.from(sealed.slice(ENVELOPE_PREFIX.length), 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw damaged(id);
    const decipher = createDecipheriv('aes-256-gcm', cipherKey, raw.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(`${id}\0${part}`));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw damaged(id);
    }
  };

  const token = (key: string, value: string | number | boolean): string =>
    `${INDEX_PREFIX}${createHmac('sha256', indexKey)
      .update(`${key}\0${typeof value}\0${String(value)}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url')}`;

  const indexValue = (key: string, value: MetadataValue): MetadataValue => {
    if (value === null) return null;
    if (Array.isArray(value)) return (value as (string | number | boolean)[]).map(item => token(key, item));
    return token(key, value);
  };

  const translateCondition = (key: string, condition: unknown): unknown => {
    if (clear.has(key)) return condition;
    if (!indexed.has(key)) {
      throw new AppError(
        'INVALID_INPUT',
        `memory metadata '${key}' is encrypted, so it cannot be used in a filter`,
        {
          hint: `Filters work on ${[...clear, ...indexed].join(', ') || 'no metadata keys'} while memory is encrypted.`,
        },
      );
    }
    if (typeof condition !== 'object' || condition === null) return token(key, condition as string);
    const translated: Record<string, unknown> = {};
    for (const [operator, operand] of Object.entries(condition)) {
      if (['$eq', '$ne', '$contains', '$not_contains'].includes(operator)) {
        translated[operator] = token(key, operand as string);
      } else if (['$in', '$nin'].includes(operator) && Array.isArray(operand)) {
        translated[operator] = operand.map(item => token(key, item as string));
      } else {
        throw new AppError(
          'INVALID_INPUT',
          `memory metadata '${key}' is encrypted: only equality filters work on it (${operator} does not)`,
        );
      }
    }
    return translated;
  };

  const encodeWhere = (where: WhereFilter): WhereFilter => {
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(where)) {
      if (key === '$and' || key === '$or') {
        result[key] = (value as WhereFilter[]).map(encodeWhere);
      } else {
        result[key] = translateCondition(key, value);
      }
    }
    return result as WhereFilter;
  };

  return {
    encrypting: encryptNew,
    encode({ id, document, metadata }) {
      if (!encryptNew) return { document, metadata };
      if (METADATA_KEY in metadata)
        throw new AppError('INVALID_INPUT', `memory metadata may not use the key '${METADATA_KEY}'`);
      const stored: Metadata = { [METADATA_KEY]: seal(JSON.stringify(metadata), id, 'metadata') };
      for (const [key, value] of Object.entries(metadata)) {
        if (clear.has(key)) stored[key] = value;
        else if (indexed.has(key)) stored[key] = indexValue(key, value);
      }
      return { document: seal(document, id, 'document'), metadata: stored };
    },
    decode({ id, document, metadata }): MemoryRecord {
      const text = document ?? '';
      const plainText = text.startsWith(ENVELOPE_PREFIX) ? open(text, id, 'document') : text;
      const stored = metadata ?? {};
      const sealed = stored[METADATA_KEY];
      const plainMetadata =
        typeof sealed === 'string' && sealed.startsWith(ENVELOPE_PREFIX)
          ? (JSON.parse(open(sealed, id, 'metadata')) as Metadata)
          : stored;
      return { id, document: plainText, metadata: plainMetadata };
    },
    encodeWhere: where => (encryptNew ? encodeWhere(where) : where),
    assertDocumentFilterAllowed() {
      if (!encryptNew) return;
      throw new AppError(
        'INVALID_INPUT',
        'memory is encrypted, so documents cannot be filtered by their text',
        {
          hint: 'Search by meaning (a query) or filter on metadata instead.',
        },
      );
    },
  };
}

function damaged(id: string): AppError {
  return new AppError(
    'UNAVAILABLE',
    `memory record ${id} cannot be decrypted: it was changed outside AZ-OS or belongs to another key`,
    {
      hint: 'Delete the record and add it again; if many fail, restore the memory folder and database from the same backup.',
    },
  );
}
