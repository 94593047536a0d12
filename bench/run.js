// `npm run bench`: runs every benchmark in bench/ one after another (each prints its own figures).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const benches = readdirSync(import.meta.dirname)
  .filter(name => name.endsWith('.js') && !['run.js', 'lib.js'].includes(name))
  .filter(name => only.length === 0 || only.some(filter => name.includes(filter)))
  .sort();
let failed = 0;
for (const name of benches) {
  console.log(`\n# bench/${name}`);
  const result = spawnSync(process.execPath, [join(import.meta.dirname, name)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
