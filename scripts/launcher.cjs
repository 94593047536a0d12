#!/usr/bin/env node
// `az`: the launcher of the bundled CLI (copied to dist/bin/az.js by scripts/bundle-cli.mjs).
//
// It gives the bundled files (dist/bin, dist/runtime, dist/chunks, dist/tui: CommonJS) a V8 code cache, then runs
// the CLI's entry. Why: Node 20 has no compile cache for its own modules (module.enableCompileCache is Node 22),
// and every `az` command is a new process, so each would parse and compile the same JavaScript again — for
// `az task list` about as long as the command's own work. With a cache V8 deserialises the bytecode it made
// before instead (bench/core.js measures the difference against bare `node -e 0`).
//
// The caches sit next to the files they belong to, one per Node release (`chunk-X.js.v20.20.2.cache`: switching
// between Node versions does not make each rewrite the other's); the build writes them by running the
// common commands once (scripts/warm-code-cache.mjs). V8 checks each cache against the source and its own
// version and flags, and rejects one that does not fit (other V8 flags, a file rebuilt in place): the file is then
// compiled as usual and, if the directory is writable, the cache written again when the process ends. A cache
// holds what the run that wrote it compiled, and V8 reads all of it, so the first run to write a cache keeps it:
// the lean cache of a short command is not replaced by the larger one of a server that ran for hours.
// A cache never changes what runs. AZ_CODE_CACHE=off compiles without caches.
'use strict';
const { accessSync, constants, linkSync, readFileSync, unlinkSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join, sep } = require('node:path');
const vm = require('node:vm');

const dist = dirname(__dirname);
const cached = ['bin', 'runtime', 'chunks', 'tui'].map(dir => join(dist, dir) + sep);
const mode = process.env.AZ_CODE_CACHE;
const main = require.main;

/**
 * `require` of the bundled files. Their imports of each other are exact relative file names the build wrote
 * ('./chunk-X.js', '../tui/index.js'): such a file is loaded here directly, without Node's search — no stat of
 * candidate names, realpath of each directory or walk up for package.json scopes and self-references (measured
 * with bench/core.js: ~1–2 ms of `az task list` over HTTP, ~5 ms in-process, which loads more files). The files are CommonJS (dist/bin/package.json and its siblings say so) and
 * this directory is already a real path, so the answer is the one Node would give. Anything else (a
 * dependency, a Node built-in) goes through Node.
 */
/** node_modules lookup paths, per directory of the bundle (four of them): Node works them out per file. */
const lookupPathsOf = new Map();
function lookupPaths(dir) {
  let paths = lookupPathsOf.get(dir);
  if (paths === undefined) lookupPathsOf.set(dir, (paths = Module._nodeModulePaths(dir)));
  return paths;
}

function requireBundled(parent, id) {
  if ((id.startsWith('./') || id.startsWith('../')) && id.endsWith('.js')) {
    const filename = join(dirname(parent.filename), id);
    const loaded = Module._cache[filename];
    if (loaded !== undefined) return loaded.exports;
    if (cached.some(dir => filename.startsWith(dir))) {
      const module = new Module(filename, parent);
      module.filename = filename;
      module.paths = lookupPaths(dirname(filename));
      Module._cache[filename] = module;
      let loadedWhole = false;
      try {
        module._compile(readFileSync(filename, 'utf8'), filename, 'commonjs');
        loadedWhole = true;
      } finally {
        if (!loadedWhole) delete Module._cache[filename];
      }
      module.loaded = true;
      return module.exports;
    }
  }
  return parent.require(id);
}

if (mode !== 'off') {
  const toWrite = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename, format) {
    if (
      (format !== undefined && format !== 'commonjs') ||
      filename === __filename ||
      !cached.some(dir => filename.startsWith(dir))
    ) {
      return compile.call(this, content, filename, format);
    }
    const cacheFile = `${filename}.${process.version}.cache`;
    let cachedData;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // none yet: compiled as usual, and written when the process ends
    }
    // No import() in these files (the build turns them into require, see scripts/bundle-cli.mjs): a script
    // compiled here could not run one.
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected)
      toWrite.push({ script, cacheFile, stale: cachedData !== undefined });
    const require = id => requireBundled(this, id);
    require.resolve = (request, options) => Module._resolveFilename(request, this, false, options);
    require.cache = Module._cache;
    require.main = main;
    return script
      .runInThisContext({ displayErrors: true })
      .call(this.exports, this.exports, require, this, filename, dirname(filename));
  };
  process.once('exit', () => {
    for (const { script, cacheFile, stale } of toWrite) {
      const partial = `${cacheFile}.${process.pid}.tmp`;
      try {
        accessSync(dirname(cacheFile), constants.W_OK);
        writeFileSync(partial, script.createCachedData());
        if (stale) unlinkSync(cacheFile);
        // Linked into place whole, and only if no other process wrote one meanwhile (linkSync fails then): a
        // concurrent `az` reads no cache or a whole one, never half of one.
        linkSync(partial, cacheFile);
      } catch {
        // A read-only install, a full disk, a cache another process wrote first: the cache is an
        // optimisation, never a reason to fail.
      }
      try {
        unlinkSync(partial);
      } catch {
        // not written
      }
    }
  });
}

require('./az-main.js');
