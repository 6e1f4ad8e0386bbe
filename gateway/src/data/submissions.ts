import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../__generated__/prisma/client.js';
import type { Logger } from '../logger.js';
import type { SubmissionModel } from '../models.js';
import { fromPostgres } from './unavailable.js';

/** Postgres as the gateway reaches it: Prisma, and the pool of connections under it. */
export interface Postgres {
  prisma: PrismaClient;
  /** Prisma's own pool (its driver adapter's), for the statement every submission runs (see SubmissionStore.insert). */
  pool: pg.Pool;
}

/**
 * The one place a PrismaClient is made; everything else receives a SubmissionStore. Every wait on
 * Postgres is bounded by `timeoutMs`: a connection, a statement in the server (statement_timeout),
 * and the answer on the client's side (query_timeout: a hung server or a lost network answers nothing).
 */
export function connectPostgres(url: string, poolMax: number, timeoutMs: number, logger: Logger): Postgres {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs,
    // Each connection starts without prepared statements of ours. The embedded Postgres (PGlite)
    // serves every connection in one session, which keeps those of the connections before it (of
    // this process or of a gateway that ran earlier): preparing ours again would fail, "already
    // exists". Awaited before the connection is handed out: a query sent while another is running
    // on the same connection is deprecated in pg 8 (a warning at every start) and an error in pg 9.
    // Should it fail (a timeout, the connection lost), pg-pool ends that connection and the query
    // that asked for it fails with the error, as it would have on a connection that failed to open.
    onConnect: async (client) => {
      await client.query('DEALLOCATE ALL');
    },
  });
  // Listened to from the start: Prisma's adapter listens only once Prisma first connects, and an
  // idle connection's error that nothing hears would end the process. The pool opens another.
  pool.on('error', (err) => logger.warn({ err }, 'an idle Postgres connection failed'));
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    log: [
      { emit: 'event', level: 'warn' },
      { emit: 'event', level: 'error' },
    ],
  });
  prisma.$on('warn', (e) => logger.warn({ prisma: e.message }, 'prisma warning'));
  prisma.$on('error', (e) => logger.error({ prisma: e.message }, 'prisma error'));
  return { prisma, pool };
}

/** The advisory lock that makes submissions commit in id order (any number no other code uses). */
const SUBMISSIONS_LOCK = 7_363_101;

/** The order of every list of submissions: the index on (submitted_at desc, id desc) serves it. */
const NEWEST_FIRST = [{ submittedAt: 'desc' as const }, { id: 'desc' as const }];

/** An index as submitted, with its latest submission's time. */
export interface SubmittedIndex {
  index: number;
  lastSubmittedAt: Date;
}

/** Most submissions one INSERT stores (its array parameter and its RETURNING stay small). */
const MAX_BATCH = 500;

interface Waiting {
  index: number;
  resolve: (row: SubmissionModel) => void;
  reject: (err: unknown) => void;
}

/**
 * Postgres access: the record of every accepted submission. Every method fails with
 * SERVICE_UNAVAILABLE when Postgres does not answer in time (see unavailable.ts).
 */
export class SubmissionStore {
  /** Submissions waiting for the insert in flight to end: the next one stores them together. */
  private waiting: Waiting[] = [];
  private inserting = false;

  private readonly prisma: PrismaClient;
  private readonly pool: pg.Pool;

  constructor({ prisma, pool }: Postgres) {
    this.prisma = prisma;
    this.pool = pool;
  }

  /**
   * Stores one submission; resolves once its row is committed. Submissions are inserted one batch
   * at a time, under a transaction-scoped advisory lock: ids are then committed in their order, so
   * a reader that sees id N sees every id below it, and `valueSubmitted(after: N)` replays every
   * later one (without it, an insert that took id N - 1 but committed after N was read would never
   * be replayed). A commit waits for the disk, so those that arrive while one is in flight wait for
   * it and go together in the next (group commit): one statement and one disk wait for all of them.
   */
  add(index: number): Promise<SubmissionModel> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ index, resolve, reject });
      if (!this.inserting) {
        this.inserting = true;
        // The submissions that arrive in this turn of the event loop go in the first batch.
        setImmediate(() => void this.insertWaiting());
      }
    });
  }

  private async insertWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        this.answer(batch, await fromPostgres(this.insert(batch.map((w) => w.index))));
      } catch (err) {
        // Postgres refused a row's data (the statement failed, so nothing was stored): each is
        // tried alone, so that row fails no other. Anything else (Postgres away, a timeout that
        // may have come after the commit) fails them all, as it would each alone: trying again
        // could store a submission twice.
        if (batch.length === 1 || !refusedData(err)) for (const w of batch) w.reject(err);
        else
          for (const w of batch)
            await fromPostgres(this.insert([w.index])).then((rows) => this.answer([w], rows), w.reject);
      }
    }
    this.inserting = false;
  }

  /** Hands each waiting submission a row of its own index (rows of one index are alike but for their ids). */
  private answer(batch: Waiting[], rows: SubmissionModel[]): void {
    const byIndex = new Map<number, SubmissionModel[]>();
    for (const row of rows) byIndex.set(row.index, [...(byIndex.get(row.index) ?? []), row]);
    for (const w of batch) {
      const row = byIndex.get(w.index)?.shift();
      if (row) w.resolve(row);
      else w.reject(new Error(`the insert returned no row for index ${w.index}`));
    }
  }

  /**
   * One statement, so one round trip: the lock (held until the statement's transaction commits)
   * is taken before the rows, and their ids, are made. Every submission runs it, so it goes to the
   * pool as a prepared statement (parsed and planned once per connection) rather than through
   * Prisma, whose work per query was half of its time at rest: submitValue's answer p50 4.0-4.3 ms
   * against 5.0-5.3 ms through $queryRaw (`npm run bench -- latency`).
   */
  private async insert(indexes: number[]): Promise<SubmissionModel[]> {
    const { rows } = await this.pool.query<{ id: string; index: number; submitted_at: Date }>({
      name: 'fibgraph-insert-submissions',
      text: `WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock(${SUBMISSIONS_LOCK}))
        INSERT INTO submissions ("index")
        SELECT i FROM locked, unnest($1::int[]) WITH ORDINALITY AS batch(i, n) ORDER BY n
        RETURNING id, "index", submitted_at`,
      values: [indexes],
    });
    // node-postgres reads a bigint as its decimal text.
    return rows.map((row) => ({ id: BigInt(row.id), index: row.index, submittedAt: row.submitted_at }));
  }

  newest(limit: number): Promise<SubmissionModel[]> {
    return fromPostgres(this.prisma.submission.findMany({ orderBy: NEWEST_FIRST, take: limit }));
  }

  /**
   * The next `limit` submissions after the one with id `beforeId` in `newest` order (the next page
   * of the list); undefined when there is no such submission.
   */
  async olderThan(beforeId: bigint, limit: number): Promise<SubmissionModel[] | undefined> {
    const cursor = await fromPostgres(
      this.prisma.submission.findUnique({ where: { id: beforeId }, select: { submittedAt: true } }),
    );
    if (!cursor) return undefined;
    // A row comparison, which the (submitted_at desc, id desc) index serves as one range scan
    // (an OR of the two conditions did too here, but is not guaranteed to).
    const rows = await fromPostgres(
      this.prisma.$queryRaw<{ id: bigint; index: number; submitted_at: Date }[]>`
        SELECT id, "index", submitted_at FROM submissions
        WHERE (submitted_at, id) < (${cursor.submittedAt}, ${beforeId})
        ORDER BY submitted_at DESC, id DESC
        LIMIT ${limit}`,
    );
    return rows.map((row) => ({ id: row.id, index: row.index, submittedAt: row.submitted_at }));
  }

  /** The newest `limit` submissions stored after the one with id `afterId`, oldest first (`newest` reversed). */
  async after(afterId: bigint, limit: number): Promise<SubmissionModel[]> {
    const rows = await fromPostgres(
      this.prisma.submission.findMany({ where: { id: { gt: afterId } }, orderBy: NEWEST_FIRST, take: limit }),
    );
    return rows.reverse();
  }

  /** Distinct indexes above `afterIndex` among submissions after `sinceId`, ascending, with their latest time. */
  async indexesAfter(sinceId: bigint, afterIndex: number, limit: number): Promise<SubmittedIndex[]> {
    const rows = await this.prisma.submission.groupBy({
      by: ['index'],
      where: { id: { gt: sinceId }, index: { gt: afterIndex } },
      _max: { submittedAt: true },
      orderBy: { index: 'asc' },
      take: limit,
    });
    return rows.map((row) => ({ index: row.index, lastSubmittedAt: row._max.submittedAt ?? new Date(0) }));
  }

  /**
   * Id of the newest submission made more than `ageMs` ago by the database's clock (0 when there
   * is none): the gateways' clocks may differ from it and from each other.
   */
  async lastIdOlderThan(ageMs: number): Promise<bigint> {
    const rows = await this.prisma.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM submissions
      WHERE submitted_at < now() - make_interval(secs => ${ageMs / 1000})
      ORDER BY submitted_at DESC, id DESC
      LIMIT 1`;
    return rows[0]?.id ?? 0n;
  }

  /** Deletes up to `batch` submissions older than `days` by the database's clock; how many it deleted. */
  async deleteOlderThan(days: number, batch: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM submissions WHERE id IN (
        SELECT id FROM submissions
        WHERE submitted_at < now() - make_interval(days => ${days})
        ORDER BY submitted_at, id
        LIMIT ${batch})`;
  }

  async ping(): Promise<void> {
    await fromPostgres(this.prisma.$queryRaw`SELECT 1`);
  }

  async disconnect(): Promise<void> {
    await this.prisma.$disconnect();
    // Ours to end: the adapter leaves a pool it was given alone.
    if (!this.pool.ended) await this.pool.end();
  }
}

/** Postgres answered that a value cannot be stored: SQLSTATE class 22 (data exception) or 23 (a constraint). */
function refusedData(err: unknown): boolean {
  return err instanceof pg.DatabaseError && /^2[23]/.test(err.code ?? '');
}
