// What the topology script takes from docker-compose.yml and deploy/nginx.conf, so that it runs the same
// configuration as `docker compose up` rather than a copy of it: each service's environment (with compose's
// `${VAR}`, `${VAR:-default}` and `${VAR:?message}` interpolation), its command and its health check, and the one
// nginx template with only the addresses changed. Reads only the shapes this repository's files use, and fails
// loudly when they change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const fail = (message) => {
  throw new Error(`docker-compose.yml / deploy/nginx.conf: ${message}`);
};

/** The lines of one service, from `  name:` to the next line indented by two spaces or less. */
function serviceBlock(compose, name) {
  const lines = compose.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`  ${name}:`));
  if (start === -1) fail(`no service ${name}`);
  const end = lines.findIndex((line, i) => i > start && /^ {0,2}\S/.test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** Items of a flow sequence such as `['CMD', 'node', '-e', "fetch('…')"]`. */
function flowSequence(text) {
  return [...text.matchAll(/'([^']*)'|"([^"]*)"/g)].map(([, single, double]) => single ?? double);
}

const interpolate = (value, vars) =>
  value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name, operator, argument) => {
    if (vars[name]) return vars[name];
    if (operator === '?') fail(`${name} is required: ${argument}`);
    return operator === '-' ? argument : '';
  });

/**
 * Reads a service of docker-compose.yml: `environment` (interpolated with `vars`), `command` and the health
 * check's command (`CMD` form), as compose would run them.
 */
export function composeService(root, name, vars) {
  const block = serviceBlock(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), name);
  const environment = {};
  const envStart = block.indexOf('    environment:');
  for (const line of envStart === -1 ? [] : block.slice(envStart + 1)) {
    if (/^\s*#/.test(line)) continue;
    const entry = line.match(/^ {6}(\w+): (.*)$/);
    if (!entry) break;
    environment[entry[1]] = interpolate(entry[2].replace(/^'(.*)'$/, '$1'), vars);
  }
  const command = block.find((line) => line.startsWith('    command: '));
  const test = block.find((line) => line.startsWith('      test: '));
  return {
    environment,
    command: command ? flowSequence(command) : undefined,
    healthcheck: test ? flowSequence(test) : undefined,
  };
}

/** Replaces `from` by `to` in `text`, where `from` must occur exactly once. */
function replaceOnce(text, from, to) {
  const parts = text.split(from);
  if (parts.length !== 2) fail(`expected "${from}" exactly once`);
  return parts.join(to);
}

/** deploy/nginx.conf with the compose services' addresses replaced by loopback ports: nothing else changes. */
export function nginxServerConfig(root, { listen, upstreams }) {
  let config = readFileSync(join(root, 'deploy/nginx.conf'), 'utf8');
  config = replaceOnce(config, 'listen 80;', `listen ${listen};`);
  for (const [service, address] of Object.entries(upstreams)) config = replaceOnce(config, `server ${service} `, `server ${address} `);
  return config;
}
