// Checkpoint benchmark: a 5,000-file workspace checkpointed through the shadow repository (dist/), first
// checkpoint, unchanged, and with 10 files changed; baseline in the same run: `git status` plus `git add -A`
// and `git commit` in an ordinary repository of the same files.
//   node bench/checkpoints.js
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { openShadowRepo } from '../dist/server/checkpoints/shadow-repo.js';
import { percentile } from './lib.js';

const ms = value => `${value.toFixed(2)} ms`;

const FILES = 5000;
const RUNS = 15;
const root = mkdtempSync(join(tmpdir(), 'az-bench-checkpoints-'));
const workspace = join(root, 'workspace');
const plain = join(root, 'plain');

for (let index = 0; index < FILES; index += 1) {
  const dir = join(workspace, `pkg${Math.floor(index / 100)}`, `mod${Math.floor(index / 10) % 10}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `file${index}.ts`), `export const value${index} = ${index};\n`.repeat(20));
}
writeFileSync(join(workspace, '.gitignore'), 'node_modules\n');
cpSync(workspace, plain, { recursive: true });

const repo = openShadowRepo({
  checkpointsDir: join(root, 'checkpoints'),
  workspace,
  maxFileBytes: 10 * 1024 * 1024,
  simpleGit,
});
const timed = async fn => {
  const started = performance.now();
  const result = await fn();
  return [performance.now() - started, result];
};
const change = (dir, run) => {
  for (let index = 0; index < 10; index += 1) {
    const file = join(dir, `pkg${index}`, 'mod0', `file${index * 100}.ts`);
    writeFileSync(file, `export const changed = ${run};\n`);
  }
};

try {
  const [first] = await timed(() => repo.checkpoint({ reason: 'bench' }));
  const unchanged = [];
  const changed = [];
  for (let run = 0; run < RUNS; run += 1) {
    const [time, result] = await timed(() => repo.checkpoint({ reason: 'bench' }));
    if (result.created) throw new Error('an unchanged workspace produced a checkpoint');
    unchanged.push(time);
  }
  for (let run = 0; run < RUNS; run += 1) {
    change(workspace, run);
    const [time, result] = await timed(() => repo.checkpoint({ reason: 'bench' }));
    if (!result.created) throw new Error('a changed workspace produced no checkpoint');
    changed.push(time);
  }
  const git = args => execFileSync('git', args, { cwd: plain, stdio: 'pipe' });
  git(['init', '-q']);
  const initialStarted = performance.now();
  git(['add', '-A']);
  git(['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'base']);
  const initial = performance.now() - initialStarted;
  const statusTimes = [];
  const commitTimes = [];
  for (let run = 0; run < RUNS; run += 1) {
    let started = performance.now();
    git(['status', '--porcelain']);
    statusTimes.push(performance.now() - started);
    change(plain, run);
    started = performance.now();
    git(['add', '-A']);
    git(['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', `run ${run}`]);
    commitTimes.push(performance.now() - started);
  }
  const p50 = values => percentile(values, 50);
  console.log(`checkpoint of a ${FILES.toLocaleString('en')}-file workspace (${RUNS} runs each):`);
  console.log(
    `  first checkpoint (all files): ${ms(first)}; baseline git add -A + commit ${ms(initial)} (${(first / initial).toFixed(2)}x)`,
  );
  console.log(
    `  unchanged: p50 ${ms(p50(unchanged))}, p95 ${ms(percentile(unchanged, 95))}; ` +
      `baseline git status p50 ${ms(p50(statusTimes))} (${(p50(unchanged) / p50(statusTimes)).toFixed(2)}x); ` +
      `target <= 300 ms: ${percentile(unchanged, 95) <= 300 ? 'met' : 'MISSED'}`,
  );
  console.log(
    `  10 files changed: p50 ${ms(p50(changed))}, p95 ${ms(percentile(changed, 95))}; ` +
      `baseline git add -A + commit p50 ${ms(p50(commitTimes))} (${(p50(changed) / p50(commitTimes)).toFixed(2)}x)`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
