// Whole-database operations the WASM engine does not offer (it only ever works inside a database
// its adapter is already connected to), done with `pg` directly. Failures carry the Prisma error
// codes the CLI branches on, e.g. `migrate dev` creates the database when it sees P1003.
import pg from 'pg';
import { KnownError } from './errors.js';
import { parsePostgresUrl, quoteIdent, withDatabase, type PgTarget } from './pg-url.js';

function databaseName(target: PgTarget): string {
  return target.config.database ?? target.config.user ?? 'postgres';
}

function translate(error: unknown, target: PgTarget): unknown {
  const { code } = error as { code?: string };
  const db = databaseName(target);
  const at = target.location;
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
      return new KnownError(
        'P1001',
        `Can't reach database server at \`${at}\`\n\nPlease make sure your database server is running at \`${at}\`.`,
        {
          database_location: at,
        },
      );
    case '3D000':
      return new KnownError('P1003', `Database \`${db}\` does not exist on the database server at \`${at}\`.`, {
        database_name: db,
        database_location: at,
      });
    case '28P01':
    case '28000':
      return new KnownError(
        'P1000',
        `Authentication failed against database server at \`${at}\`, the provided database credentials for \`${target.config.user}\` are not valid.`,
        {
          database_user: target.config.user,
          database_location: at,
        },
      );
    case '42P04':
      return new KnownError('P1009', `Database \`${db}\` already exists on the database server at \`${at}\``, {
        database_name: db,
        database_location: at,
      });
    default:
      return error;
  }
}

/** Runs `work` connected to `connectTo`, reporting failures as being about `subject`. */
async function withClient<T>(
  connectTo: PgTarget,
  subject: PgTarget,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client(connectTo.config);
  try {
    await client.connect();
    return await work(client);
  } catch (error) {
    throw translate(error, subject);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creating or dropping a database needs a session in some other database of the same server. */
const maintenanceDb = (target: PgTarget) => withDatabase(target, 'postgres');

export async function canConnect(url: string): Promise<void> {
  const target = parsePostgresUrl(url);
  await withClient(target, target, (client) => client.query('SELECT 1'));
}

export async function createDatabase(url: string): Promise<string> {
  const target = parsePostgresUrl(url);
  const name = databaseName(target);
  await withClient(maintenanceDb(target), target, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  return name;
}

export async function dropDatabase(url: string): Promise<void> {
  const target = parsePostgresUrl(url);
  const name = databaseName(target);
  await withClient(maintenanceDb(target), target, (client) => client.query(`DROP DATABASE ${quoteIdent(name)}`));
}
