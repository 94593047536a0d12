/**
 * The codec the memory service uses for this home: encrypting when the database is encrypted (the memory key
 * lives in it, as protected as it is), identity when it never was, and decode-only after `az db decrypt`
 * (records written while encrypted still read back; new ones are written in clear).
 */
import type { Db } from '../../store/database.js';
import { ensureDataKey, loadDataKey } from '../data-keys.js';
import { identityCodec, type DocumentCodec } from './document-codec.js';
import { createEncryptingCodec } from './encrypting-codec.js';

export interface HomeMemoryCodecOptions {
  db: Db;
  /** Whether the home's database is encrypted (databaseFileState(paths.database) === 'encrypted'). */
  databaseEncrypted: boolean;
  clearKeys?: readonly string[];
  indexedKeys?: readonly string[];
}

export function homeMemoryCodec(options: HomeMemoryCodecOptions): DocumentCodec {
  const { db, databaseEncrypted } = options;
  const key = databaseEncrypted ? ensureDataKey(db, 'memory') : loadDataKey(db, 'memory');
  if (!key) return identityCodec;
  return createEncryptingCodec({
    key,
    clearKeys: options.clearKeys,
    indexedKeys: options.indexedKeys,
    encryptNew: databaseEncrypted,
  });
}
