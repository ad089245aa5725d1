#!/usr/bin/env node
// npm 11 behind a registry other than registry.npmjs.org leaves the other platforms' optional packages (rollup,
// esbuild, sass-embedded… binaries) out of package-lock.json, and `npm ci` then refuses the lock file
// (npm/cli#9342, #4828). This adds the missing entries from the registry's metadata, as npm itself would write
// them, so that `npm ci` works on every platform. Run it after `npm install` changed the lock file:
//   node tools/lockfile/add-platform-packages.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

/** Where Node would resolve `name` from the package at `path`: its own node_modules, then each parent's. */
function resolves(path, name) {
  let base = path;
  for (;;) {
    if (packages[`${base ? `${base}/` : ''}node_modules/${name}`]) return true;
    if (!base) return false;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

const missing = new Map();
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(path, name)) continue;
    const previous = missing.get(name);
    missing.set(name, { range, dev: (previous?.dev ?? true) && entry.dev === true });
  }
}

const OSES = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPUS = ['x64', 'arm64', 'arm', 'ia32', 'riscv64', 'ppc64', 's390x', 'loong64', 'mips64el'];

/** The registry's metadata of the newest version in `range`, or null when the registry does not have it. */
function registryMetadata(name, range) {
  try {
    const raw = execFileSync(
      'npm',
      ['view', `${name}@${range}`, '--json', 'version', 'dist.integrity', 'os', 'cpu', 'libc', 'engines', 'license'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const found = [JSON.parse(raw)].flat();
    return found[found.length - 1];
  } catch {
    return null;
  }
}

for (const [name, { range, dev }] of missing) {
  // Some registries serve only the platforms they were asked for; then the platform is read off the name
  // (`…-darwin-arm64`) so that npm skips the package on other machines without fetching it.
  const meta = registryMetadata(name, range) ?? {
    version: range.replace(/^[~^=]/, ''),
    os: OSES.find((os) => name.includes(`-${os}`)),
    cpu: CPUS.find((cpu) => new RegExp(`-${cpu}(-|$)`).test(name)),
  };
  packages[`node_modules/${name}`] = {
    version: meta.version,
    ...(meta['dist.integrity'] && { integrity: meta['dist.integrity'] }),
    ...(dev && { dev: true }),
    optional: true,
    ...(meta.cpu && { cpu: [meta.cpu].flat() }),
    ...(meta.os && { os: [meta.os].flat() }),
    ...(meta.libc && { libc: [meta.libc].flat() }),
    ...(meta.license && { license: meta.license }),
    ...(meta.engines && { engines: meta.engines }),
  };
  console.log(`added ${name}@${meta.version}`);
}

// npm's own order (arborist compares paths with an 'en' collator: `string_decoder` before `string-length`); any other
// order is rewritten by the next `npm install`, which leaves the lock file modified on a fresh clone.
const npmOrder = new Intl.Collator('en').compare;
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : npmOrder(a, b))),
);
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${missing.size} platform package(s) added to package-lock.json`);
