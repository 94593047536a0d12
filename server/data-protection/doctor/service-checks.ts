/** Doctor checks of what AZ-OS talks to: the configuration, the LLM gateway and Chroma (binding and server). */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DoctorCheck } from '../../../protocol/tools/data-tools.js';
import { keyHint, resolveApiKey } from '../../llm/api-key.js';
import { fail, ok, skip, warn, type DoctorContext } from './doctor-check.js';

const TIMEOUT_MS = 3000;

export function checkConfig({ config, paths }: DoctorContext): DoctorCheck[] {
  if (config instanceof Error) {
    return [
      fail(
        'config',
        'Configuration',
        config.message,
        'Fix it with `az config set KEY VALUE` / `az config unset KEY`, or edit ' + paths.configFile + '.',
      ),
    ];
  }
  if (!existsSync(paths.configFile))
    return [ok('config', 'Configuration', 'no config.json: the defaults apply')];
  return [ok('config', 'Configuration', `${paths.configFile} is valid`)];
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

export async function checkLlmGateway({ config, env, signal }: DoctorContext): Promise<DoctorCheck[]> {
  const title = 'LLM gateway';
  if (config instanceof Error) return [skip('llm', title, 'the configuration does not load')];
  const { base_url: baseUrl, provider } = config.config.llm;
  // The key the gateway client would send: AZ_LLM_API_KEY / llm.api_key, else the provider's own variable.
  const { key: apiKey, source } = resolveApiKey(config, env);
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
    });
  } catch (error) {
    return [
      fail(
        'llm',
        title,
        `${baseUrl} is not reachable (${reason(error)})`,
        'Start the LiteLLM proxy (e.g. `litellm --config litellm.yaml --port 4000`), or point AZ-OS at your gateway with `az config set llm.base_url URL`.',
      ),
    ];
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status === 401 || response.status === 403) {
    return [
      warn(
        'llm',
        title,
        apiKey
          ? `${baseUrl} answers but refused the API key from ${source} (HTTP ${response.status})`
          : `${baseUrl} answers but wants an API key, and none is set (HTTP ${response.status})`,
        keyHint(provider),
      ),
    ];
  }
  if (response.status >= 500) {
    return [
      warn('llm', title, `${baseUrl} answers with HTTP ${response.status}`, "Check the gateway's own log."),
    ];
  }
  return [ok('llm', title, `${baseUrl} answers (HTTP ${response.status} for /models)`)];
}

/** The npm package holding Chroma's native binding for this platform. */
export function chromaBindingPackage(platform = process.platform, arch = process.arch): string {
  return `chromadb-js-bindings-${platform}-${arch}${platform === 'linux' ? '-gnu' : ''}`;
}

function glibcVersion(): string | undefined {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
    ?.header;
  return header?.glibcVersionRuntime;
}

/** Numeric comparison of dotted versions (1.0.5 < 1.0.6, 2.36 < 2.38). */
export function olderThan(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const left = a[index] ?? 0;
    const right = b[index] ?? 0;
    if (left !== right) return left < right;
  }
  return false;
}

/** The native binding the local Chroma needs; not needed when memory is off or uses memory.chroma_url. */
export function checkChromaBinding({ config }: DoctorContext): DoctorCheck[] {
  const title = 'Chroma binding';
  if (!(config instanceof Error)) {
    const memory = config.config.memory;
    if (!memory.enabled) return [skip('chroma_binding', title, 'memory is turned off (memory.enabled)')];
    if (memory.chroma_url !== null) {
      return [skip('chroma_binding', title, `not needed: memory uses the Chroma at memory.chroma_url`)];
    }
  }
  const name = chromaBindingPackage();
  const require = createRequire(import.meta.url);
  let version: string;
  try {
    version = (
      JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }
    ).version;
  } catch {
    return [
      fail(
        'chroma_binding',
        title,
        `${name} is not installed, so the local Chroma cannot start`,
        'Run `npm ci` in the AZ-OS folder (or set a Chroma URL to use a Chroma server elsewhere).',
      ),
    ];
  }
  const glibc = process.platform === 'linux' ? glibcVersion() : undefined;
  const pinNote =
    'package.json pins chromadb-js-bindings-linux-x64-gnu to 1.0.5 (overrides); run `npm ci` to get it back.';
  if (glibc && olderThan(glibc, '2.38') && !olderThan(version, '1.0.6')) {
    return [
      fail(
        'chroma_binding',
        title,
        `${name} ${version} needs glibc 2.38+, this system has ${glibc}`,
        pinNote,
      ),
    ];
  }
  try {
    require(name);
  } catch (error) {
    return [
      fail(
        'chroma_binding',
        title,
        `${name} ${version} does not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        glibc ? pinNote : 'Reinstall with `npm ci`.',
      ),
    ];
  }
  return [ok('chroma_binding', title, `${name} ${version} loads${glibc ? ` (glibc ${glibc})` : ''}`)];
}

/** The Chroma server memory.chroma_url names (with memory.chroma_headers), when memory is on and names one. */
export function checkChromaServer({ config, signal }: DoctorContext): Promise<DoctorCheck[]> {
  const title = 'Chroma server';
  if (config instanceof Error)
    return Promise.resolve([skip('chroma', title, 'the configuration does not load')]);
  const memory = config.config.memory;
  if (!memory.enabled)
    return Promise.resolve([skip('chroma', title, 'memory is turned off (memory.enabled)')]);
  if (memory.chroma_url === null) {
    return Promise.resolve([
      skip(
        'chroma',
        title,
        'memory.chroma_url is not set: AZ-OS starts its own local Chroma on first use (its health shows under server checks when a server runs)',
      ),
    ]);
  }
  return checkChromaHeartbeat(memory.chroma_url, signal, memory.chroma_headers);
}

export async function checkChromaHeartbeat(
  url: string,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<DoctorCheck[]> {
  const title = 'Chroma server';
  const endpoint = `${url.replace(/\/+$/, '')}/api/v2/heartbeat`;
  try {
    const response = await fetch(endpoint, {
      headers,
      signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 401 || response.status === 403)
      return [
        warn(
          'chroma',
          title,
          `${url} refused the request (HTTP ${response.status})`,
          'Set its token in memory.chroma_headers, e.g. `az config set memory.chroma_headers \'{"x-chroma-token": "…"}\'`.',
        ),
      ];
    if (!response.ok)
      return [
        warn(
          'chroma',
          title,
          `${url} answers the heartbeat with HTTP ${response.status}`,
          'Check that it is a Chroma 1.x server and its log.',
        ),
      ];
    return [ok('chroma', title, `${url} answers its heartbeat`)];
  } catch (error) {
    return [
      fail(
        'chroma',
        title,
        `${url} is not reachable (${reason(error)})`,
        'Start that Chroma server, or `az config unset memory.chroma_url` to let AZ-OS run a local one.',
      ),
    ];
  }
}
