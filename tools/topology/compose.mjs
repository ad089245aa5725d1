// What the topology script takes from docker-compose.yml and deploy/nginx.conf, so that it runs the same
// configuration as `docker compose up` rather than a copy of it: each service's environment (with compose's
// `${VAR}`, `${VAR:-default}` and `${VAR:?message}` interpolation), its command and its health check, and the one
// nginx template with only the addresses changed, and the SQL of deploy/postgres-init/ that the postgres image runs
// when its volume is first initialised. Reads only the shapes this repository's files use, and fails loudly when
// they change.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const fail = (message) => {
  throw new Error(`docker-compose.yml / deploy/ / Dockerfile: ${message}`);
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

/** psql's `:'name'` (a literal) and `:"name"` (an identifier), as `psql -v name=value` substitutes them. */
const psqlVariables = (sql, values) =>
  sql.replace(/:(['"])(\w+)\1/g, (_, quote, name) => {
    if (values[name] === undefined) fail(`psql variable ${name} is not set`);
    return `${quote}${values[name].replaceAll(quote, quote + quote)}${quote}`;
  });

/**
 * The init scripts of deploy/postgres-init/ (compose mounts it as /docker-entrypoint-initdb.d), in the order the
 * postgres image runs them: each one's psql user, database and SQL (its `<<'SQL'` here-document), with the
 * `-v name="$VAR"` variables taken from the postgres service's `environment`.
 */
export function postgresInitScripts(root, environment) {
  const folder = join(root, 'deploy/postgres-init');
  const fromEnvironment = (name) => environment[name] ?? fail(`postgres-init uses $${name}, not in the postgres service's environment`);
  return readdirSync(folder)
    .sort()
    .map((file) => {
      const script = readFileSync(join(folder, file), 'utf8');
      const psql = script.match(/^psql .*--username "\$(\w+)" --dbname (\w+)((?:.|\\\n)*?)<<'SQL'\n([\s\S]*?)\nSQL$/m);
      if (!file.endsWith('.sh') || !psql) fail(`${file}: expected a shell script running psql with a <<'SQL' here-document`);
      const [, userVariable, database, options, sql] = psql;
      const values = Object.fromEntries([...options.matchAll(/-v (\w+)="\$(\w+)"/g)].map(([, name, variable]) => [name, fromEnvironment(variable)]));
      return { file, user: fromEnvironment(userVariable), database, sql: psqlVariables(sql, values) };
    });
}

/** The image's `CMD ["…", …]` (the Keyring services of docker-compose.yml have no `command` of their own). */
export function dockerfileCommand(root) {
  const cmd = readFileSync(join(root, 'Dockerfile'), 'utf8').match(/^CMD (\[.*\])$/m);
  if (!cmd) fail('Dockerfile: expected a CMD ["…"] line');
  return flowSequence(cmd[1]);
}
