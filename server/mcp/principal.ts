/** Who is calling: a token holder over HTTP, or the local user over stdio or in-process. */
import type { Role } from '../../protocol/tool-contract.js';

export interface Principal {
  /** Token name, or `stdio:USER` / `local:USER`. */
  name: string;
  role: Role;
  /** How the caller reached the server. */
  via: 'http' | 'stdio' | 'in-process';
}
