/** The AZ-OS version, shared by the server and its clients (kept equal to package.json by a test). */
export const VERSION = '0.1.0';

/** Set by the bundler (scripts/bundle-cli.mjs): absent where the code runs unbundled (tests, tsc's dist). */
declare const AZ_CONTRACTS_DIGEST: string | undefined;

/**
 * A digest of the sources of the MCP contract (protocol/), fixed when the CLI and server were bundled, or
 * undefined when unbundled. A server writes it into server.json; a client that finds the same digest there
 * talks to a server built from the same tool contracts, whose results already have the contracts' shape, and
 * does not check them again (tool-result.ts).
 */
export const CONTRACTS_DIGEST: string | undefined =
  typeof AZ_CONTRACTS_DIGEST === 'string' ? AZ_CONTRACTS_DIGEST : undefined;
