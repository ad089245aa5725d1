// A PostgreSQL server of the machine for a benchmark (DATABASE_URL mode): a fresh database with the two roles the
// README's "Database roles" section asks for — an owner that migrates, an app role that owns nothing — dropped
// afterwards with its roles.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import pg from 'pg';

/** Whether something accepts TCP connections at host:port (within a second). */
export function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** `SELECT version()` in short: "PostgreSQL 15.20". */
export async function postgresVersion(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: [row] } = await client.query('SHOW server_version');
    return `PostgreSQL ${row.server_version.split(' ')[0]}`;
  } finally {
    await client.end();
  }
}

/**
 * Database `name` on the server `adminUrl` reaches (as a role that may create roles and databases), owned by a new
 * `<name>_owner`, with a new `<name>_app` for the server. `{ url, migrationUrl, drop() }`.
 */
export async function freshDatabase(adminUrl, name) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const roles = { owner: `${name}_owner`, app: `${name}_app` };
  const passwords = { owner: randomBytes(18).toString('base64url'), app: randomBytes(18).toString('base64url') };
  const urlAs = (role) => {
    const url = new URL(adminUrl);
    url.username = roles[role];
    url.password = passwords[role];
    url.pathname = `/${name}`;
    return url.toString();
  };
  try {
    for (const role of ['owner', 'app']) {
      await admin.query(`CREATE ROLE ${admin.escapeIdentifier(roles[role])} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${admin.escapeLiteral(passwords[role])}`);
    }
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)} OWNER ${admin.escapeIdentifier(roles.owner)}`);
  } finally {
    await admin.end();
  }
  return {
    url: urlAs('app'),
    migrationUrl: urlAs('owner'),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
        for (const role of Object.values(roles)) await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
      } finally {
        await client.end();
      }
    },
  };
}
