import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './free-port';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * A Redis for tests of the shared rate limit: TEST_REDIS_URL when set, else a private `redis-server` (Debian's
 * package; .ci/run installs it) on a free port, without persistence.
 */
export async function startTestRedis(): Promise<TestRedis> {
  if (process.env['TEST_REDIS_URL']) return { url: process.env['TEST_REDIS_URL'], stop: async () => undefined };
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('These tests need Redis: install redis-server (apt-get install redis-server) or set TEST_REDIS_URL.')
          : error,
      ),
    );
    const probe = (attempt: number) => {
      const socket = createConnection(port, '127.0.0.1', () => socket.end(resolve));
      socket.once('error', () => (attempt > 100 ? reject(new Error('redis-server did not start')) : setTimeout(() => probe(attempt + 1), 20)));
    };
    probe(0);
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      server.kill('SIGTERM');
      await exited;
    },
  };
}
