// `npm run bench`: runs every benchmark in this folder (each a plain Node script against dist/), one at a time.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const only = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter(name => name.endsWith('.js') && name !== 'run.js' && !name.startsWith('lib-'))
  .filter(name => only.length === 0 || only.some(part => name.includes(part)))
  .sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n=== ${script} ===`);
  const result = spawnSync(process.execPath, [join(here, script)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
