/**
 * The environment a shell command gets: an allow-list of harmless variables (plus any the configuration
 * names), with every secret-looking name removed whatever the allow-list says about it.
 *
 * Security: commands are written by models and may print their environment. LLM keys (AZ_LLM_API_KEY,
 * OPENAI_API_KEY…), AZ-OS tokens and keys (AZ_TOKEN, AZ_DB_KEY…) and cloud credentials must never reach
 * them. Everything AZ_* is dropped, names that look like secrets are dropped, and values that carry
 * credentials in a URL are dropped; only then is the allow-list applied.
 */

/** Variables a command may see by default. */
const BASE_ALLOW = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'HOSTNAME',
  'TERM',
  'COLUMNS',
  'LINES',
];
const BASE_ALLOW_PREFIXES = ['LC_'];

const SECRET_NAME =
  /(^|_)(API_?KEY|KEY|TOKEN|SECRET|SECRETS|PASSWORD|PASSWD|PASS|PASSPHRASE|CREDENTIAL|CREDENTIALS|AUTH|AUTHORIZATION|COOKIE|SESSION|PRIVATE|CERT|SIGNATURE|DSN)($|_)/i;
const SECRET_NAMES = new Set(['SSH_AUTH_SOCK', 'GPG_AGENT_INFO', 'KUBECONFIG', 'DOCKER_CONFIG', 'NETRC']);
/** A URL with user:password@ in it (DATABASE_URL=postgres://u:p@h/db and friends). */
const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

export function isSecretVariable(name: string, value: string | undefined): boolean {
  if (name.toUpperCase().startsWith('AZ_')) return true;
  if (SECRET_NAMES.has(name.toUpperCase()) || SECRET_NAME.test(name)) return true;
  return value !== undefined && CREDENTIAL_URL.test(value);
}

export interface EnvironmentOptions {
  /** Extra variable names (or NAME_* prefixes) to pass through; secrets stay out regardless of this. */
  passthrough?: readonly string[];
  /** Set last (after scrubbing): the tool's own variables. */
  set?: Record<string, string>;
}

export function commandEnvironment(
  source: Record<string, string | undefined>,
  options: EnvironmentOptions = {},
): Record<string, string> {
  const names = new Set([...BASE_ALLOW, ...(options.passthrough ?? []).filter(name => !name.endsWith('*'))]);
  const prefixes = [
    ...BASE_ALLOW_PREFIXES,
    ...(options.passthrough ?? []).filter(name => name.endsWith('*')).map(name => name.slice(0, -1)),
  ];
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || isSecretVariable(name, value)) continue;
    if (names.has(name) || prefixes.some(prefix => name.startsWith(prefix))) env[name] = value;
  }
  // Commands run without a terminal: no pagers, no prompts, no colour.
  Object.assign(env, {
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    NO_COLOR: '1',
    TERM: 'dumb',
    ...options.set,
  });
  return env;
}
