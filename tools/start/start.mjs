#!/usr/bin/env node
// `npm start`: the API answers as soon as it is built and started; the console (about 70 s of build without a
// cache) is built beside the running server, and `/` says "the console is being built" until it is there.
// Ctrl-C stops everything. Nx keeps its build cache in this checkout (.nx/cache, see nx.json).
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const nx = join(root, 'node_modules/.bin/nx');
const startedAt = performance.now();
const seconds = () => ((performance.now() - startedAt) / 1000).toFixed(1);

/**
 * Children get process groups of their own, so that Ctrl-C reaches only this script, which hands a SIGTERM on
 * once: the server stops gracefully (and stops its embedded PostgreSQL) on the first signal and would die on a
 * second one. A build is stopped with its whole group (Nx's workers); the server alone, as it stops its database.
 */
const running = new Map();
function run(command, args, { wholeGroup }) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', detached: true });
  running.set(child, wholeGroup ? -child.pid : child.pid);
  child.once('exit', () => running.delete(child));
  return child;
}
const exitCode = (child) => new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
const stop = (child) => {
  if (!running.has(child)) return;
  try {
    process.kill(running.get(child), 'SIGTERM');
  } catch {
    // already gone
  }
};

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    [...running.keys()].forEach(stop);
  });
}

const apiBuild = run(nx, ['build', 'api', '--outputStyle=static'], { wholeGroup: true });
if ((await exitCode(apiBuild)) !== 0) process.exit(stopping ? 130 : 1);
console.log(`\n  API built in ${seconds()} s; starting it while the console is built\n`);
const server = run(process.execPath, ['dist/apps/api/main.js'], { wholeGroup: false });
const consoleBuild = run(nx, ['build', 'admin', '--outputStyle=static'], { wholeGroup: true });

exitCode(consoleBuild).then((code) => {
  if (stopping) return;
  const url = `http://localhost:${process.env.PORT ?? 3000}`;
  console.log(
    code === 0
      ? `\n  The console is built (${seconds()} s after npm start): ${url}\n`
      : `\n  The console build failed (see above); the API keeps running at ${url}/api/v1\n`,
  );
});

const serverCode = await exitCode(server);
stop(consoleBuild);
process.exit(stopping ? 0 : serverCode);
