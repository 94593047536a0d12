// `npm run bench`: runs every benchmark in bench/ (each a plain Node ESM script against dist/), one after
// another, so their figures do not disturb each other. Run one alone with `node bench/<name>.js`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches = readdirSync(here)
  .filter(name => name.endsWith('.js') && name !== 'run.js')
  .sort();
let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n=== bench/${name}\n`);
  const result = spawnSync(process.execPath, [join(here, name)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
