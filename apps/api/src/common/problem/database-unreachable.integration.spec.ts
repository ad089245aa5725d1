import { DataSource, type EntityManager } from 'typeorm';
import { startOutageProxy, type OutageProxy } from '../../../test/outage-proxy';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database';
import { dataSourceOptions } from '../../database/data-source';
import { problemFor } from './problem-document';

/**
 * The errors the database driver really raises when PostgreSQL goes away, each of which must become a 503
 * database-unavailable (retry later), never a 500. Found by the fault suite: a transaction whose connection died
 * between two of its queries failed with TypeORM's "query runner already released", which was a 500.
 */
describe('an unreachable database is a 503, whatever moment it goes away (real PostgreSQL)', () => {
  let db: TestDatabase;
  let proxy: OutageProxy;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startOutageProxy(db.url);
    dataSource = await new DataSource(dataSourceOptions(proxy.through(db.url))).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await proxy.close();
    await db.drop();
  });
  afterEach(() => proxy.restore());

  /** Runs `work` and returns the problem document its failure would get. */
  async function problemOf(work: () => Promise<unknown>) {
    const error = await work().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeDefined();
    const { status, body, headers } = problemFor(error, 'req-1', '/api/v1/x');
    return { status, type: body.type, retryAfter: headers['Retry-After'], cause: String(error) };
  }

  const unavailable = { status: 503, type: 'urn:keyring:problem:database-unavailable', retryAfter: '5' };

  // Through the manager (as the repositories do) and through the query runner: TypeORM names the error differently.
  it.each([
    ['the entity manager', (manager: EntityManager) => manager.query('SELECT 2')],
    ['its query runner', (manager: EntityManager) => manager.queryRunner!.query('SELECT 2')],
  ])('between two queries of a transaction, the next one made through %s', async (_via, nextQuery) => {
    const result = await problemOf(() =>
      dataSource.transaction(async (manager) => {
        await manager.query('SELECT 1');
        await proxy.cut();
        // The connection dies while the handler is busy elsewhere (hashing, encrypting).
        await new Promise((resolve) => setTimeout(resolve, 200));
        await nextQuery(manager);
      }),
    );
    expect(result).toEqual({ ...unavailable, cause: expect.stringMatching(/already released/) });
  });

  it('during a query', async () => {
    const result = await problemOf(async () => {
      const running = dataSource.query('SELECT pg_sleep(2)');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await proxy.cut();
      await running;
    });
    expect(result).toEqual({ ...unavailable, cause: expect.any(String) });
  });

  it('when a new connection is refused', async () => {
    await proxy.cut();
    const result = await problemOf(() => dataSource.transaction((manager) => manager.query('SELECT 1')));
    expect(result).toEqual({ ...unavailable, cause: expect.stringMatching(/ECONNREFUSED/) });
  });
});
