/**
 * `npm run db:plan [-- <rows>]`: how the gateway's queries of `submissions` behave on a big table
 * (default 10,000,000 rows over a year, indexes 0..1,000,000), in a database of its own copied from
 * the migrated test template and dropped afterwards. Prints each query's plan summary and its
 * execution time from EXPLAIN ANALYZE. Takes a few minutes (the rows are generated in Postgres).
 */
import pg from 'pg';
import { createTestDatabase, ensurePostgres } from '@fibgraph/devstack';

const rows = Number(process.argv[2] ?? 10_000_000);

const postgres = await ensurePostgres();
const db = await createTestDatabase(postgres.adminUrl);
const client = new pg.Client({ connectionString: db.url });
await client.connect();
try {
  const started = Date.now();
  // Submission times rise with ids, a few per second, over about a year up to now.
  await client.query(
    `INSERT INTO submissions ("index", submitted_at)
     SELECT (random() * 1000000)::int, now() - make_interval(secs => ($1 - g) * 3.15)
     FROM generate_series(1, $1::int) AS g`,
    [rows],
  );
  await client.query('ANALYZE submissions');
  console.log(
    `${rows.toLocaleString('en-US')} rows generated and analysed in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );

  const middle = (await client.query('SELECT id, submitted_at FROM submissions WHERE id = $1', [Math.floor(rows / 2)]))
    .rows[0];
  const recent = rows - 50;
  // The statements the gateway sends (gateway/src/data/submissions.ts), with typical arguments.
  const queries: [string, string, unknown[]][] = [
    [
      'values: the newest 100',
      'SELECT id, "index", submitted_at FROM submissions ORDER BY submitted_at DESC, id DESC LIMIT 100',
      [],
    ],
    [
      'values(before:): 100 from the middle of the table',
      `SELECT id, "index", submitted_at FROM submissions WHERE (submitted_at, id) < ($1, $2)
       ORDER BY submitted_at DESC, id DESC LIMIT 100`,
      [middle.submitted_at, middle.id],
    ],
    [
      'valueSubmitted(after:) replay, a recent cursor',
      'SELECT id, "index", submitted_at FROM submissions WHERE id > $1 ORDER BY submitted_at DESC, id DESC LIMIT 100',
      [recent],
    ],
    [
      'valueSubmitted(after: "0") replay',
      'SELECT id, "index", submitted_at FROM submissions WHERE id > $1 ORDER BY submitted_at DESC, id DESC LIMIT 100',
      [0],
    ],
    [
      'reconciler: a page of 500 indexes after a wipe (from id 0)',
      `SELECT "index", max(submitted_at) FROM submissions WHERE id > $1 AND "index" > $2
       GROUP BY "index" ORDER BY "index" LIMIT 500`,
      [0, 500_000],
    ],
    [
      'reconciler: a page after the watermark (recent ids)',
      `SELECT "index", max(submitted_at) FROM submissions WHERE id > $1 AND "index" > $2
       GROUP BY "index" ORDER BY "index" LIMIT 500`,
      [recent, -1],
    ],
    [
      'reconciler: the settled watermark',
      `SELECT id FROM submissions WHERE submitted_at < now() - make_interval(secs => 30)
       ORDER BY submitted_at DESC, id DESC LIMIT 1`,
      [],
    ],
    [
      'retention: one batch of 1,000 past 300 days (rolled back)',
      `DELETE FROM submissions WHERE id IN (SELECT id FROM submissions
       WHERE submitted_at < now() - make_interval(days => 300) ORDER BY submitted_at, id LIMIT 1000)`,
      [],
    ],
  ];
  for (const [name, sql, args] of queries) {
    await client.query('BEGIN');
    const plan = (await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, args)).rows[0]['QUERY PLAN'][0];
    await client.query('ROLLBACK');
    const nodes: string[] = [];
    const walk = (node: { 'Node Type': string; 'Index Name'?: string; Plans?: unknown[] }) => {
      nodes.push(node['Index Name'] ? `${node['Node Type']} (${node['Index Name']})` : node['Node Type']);
      for (const child of node.Plans ?? []) walk(child as typeof node);
    };
    walk(plan.Plan);
    console.log(`${plan['Execution Time'].toFixed(2).padStart(10)} ms  ${name}: ${nodes.join(' > ')}`);
  }
} finally {
  await client.end();
  await db.drop();
  await postgres.stop();
}
