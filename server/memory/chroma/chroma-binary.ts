/** Where the `chroma` CLI of the chromadb package is, whether its native binding is installed, and probes. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The chromadb package's CLI script (the same program as `npx chroma`): its package.json's `bin`, found from
 * the package's entry (which is dist/chromadb.mjs for import and dist/cjs/chromadb.cjs for require — the
 * bundled az is CommonJS — so the entry's own folder is no guide).
 */
export function chromaCliPath(): string {
  let dir = dirname(fileURLToPath(import.meta.resolve('chromadb')));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, bin } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name?: string;
        bin?: Record<string, string>;
      };
      if (name === 'chromadb' && bin?.chroma) return join(dir, bin.chroma);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('the chromadb package has no chroma CLI in its package.json');
    dir = parent;
  }
}

const BINDINGS: Record<string, string> = {
  'darwin-arm64': 'chromadb-js-bindings-darwin-arm64',
  'darwin-x64': 'chromadb-js-bindings-darwin-x64',
  'linux-arm64': 'chromadb-js-bindings-linux-arm64-gnu',
  'linux-x64': 'chromadb-js-bindings-linux-x64-gnu',
  'win32-arm64': 'chromadb-js-bindings-win32-arm64-msvc',
};

/** Why the local Chroma cannot run on this machine, or undefined when its binding is installed. */
export function missingBinding(): string | undefined {
  const key = `${process.platform}-${process.arch}`;
  const name = BINDINGS[key];
  if (!name)
    return `the local Chroma server has no build for ${key}; set memory.chroma_url to a Chroma server`;
  try {
    const cli = chromaCliPath();
    if (!existsSync(cli)) return `the chromadb package has no CLI at ${cli}`;
    createRequire(cli).resolve(name);
    return undefined;
  } catch {
    return `the Chroma native binding ${name} is not installed (run npm ci in the AZ-OS folder)`;
  }
}

export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // node:net loads here, not at import: every in-process command loads this module, few start Chroma.
    const server = process.getBuiltinModule('node:net').createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when a Chroma server answers its heartbeat at host:port within timeoutMs. */
export async function heartbeat(host: string, port: number, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}:${port}/api/v2/heartbeat`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
