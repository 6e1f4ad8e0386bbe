import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { LANES, redisKeys } from '@fibgraph/core';
import { inject } from 'vitest';
import {
  createTestDatabase,
  type ManagedChild,
  type RedisServer,
  spawnGateway,
  spawnWorker,
  startRedisServer,
  waitUntil,
} from '@fibgraph/devstack';
import { GraphQLClient } from './graphql-client.js';

export interface ServiceProcess {
  child: ManagedChild;
  port?: number;
}

/**
 * The real system for one test file: its own Postgres database and its own redis-server, the
 * built gateway and worker started with the very commands the images run. Everything it starts is
 * stopped by `stop()`, which each test file registers in afterAll.
 */
export class TestSystem {
  readonly gateways: ServiceProcess[] = [];
  readonly workers: ServiceProcess[] = [];
  readonly prefix = `t${randomBytes(3).toString('hex')}:`;
  private inspectors: Redis[] = [];
  private clients: GraphQLClient[] = [];
  private subscribedGateways = new Set<number>();

  private constructor(
    public redis: RedisServer,
    private readonly db: { url: string; drop(): Promise<void> },
    private readonly redisDir: string | undefined,
  ) {}

  /** `redisDir`: keep Redis' data in an append-only file there, so a restart keeps it. */
  static async start(opts: { gateways?: number; workers?: number; redisDir?: string } = {}): Promise<TestSystem> {
    const [redis, db] = await Promise.all([
      startRedisServer({ dir: opts.redisDir }),
      createTestDatabase(inject('pgAdminUrl')),
    ]);
    const system = new TestSystem(redis, db, opts.redisDir);
    for (let i = 0; i < (opts.gateways ?? 1); i++) await system.addGateway();
    for (let i = 0; i < (opts.workers ?? 1); i++) await system.addWorker();
    return system;
  }

  get databaseUrl(): string {
    return this.db.url;
  }

  private baseEnv(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      REDIS_URL: this.redis.url,
      REDIS_PREFIX: this.prefix,
    };
  }

  async addGateway(env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    const { child, port, ready } = await spawnGateway({
      ...this.baseEnv(),
      DATABASE_URL: this.db.url,
      RECONCILE_INTERVAL_MS: '300',
      // Tests submit fast from one address; hostile.test.ts and bounded.test.ts set the limits they are about.
      SUBMIT_RATE_PER_SECOND: '100000',
      MAX_JOBS_PER_CLIENT: '100000',
      ...env,
    });
    const service = { child, port };
    this.gateways.push(service);
    await ready();
    return service;
  }

  /** `onLine` receives every line the worker prints, as it comes. */
  async addWorker(
    env: NodeJS.ProcessEnv = {},
    opts: { onLine?: (line: string) => void } = {},
  ): Promise<ServiceProcess> {
    const { child, ready } = spawnWorker({ ...this.baseEnv(), CLAIM_IDLE_MS: '1000', ...env }, opts.onLine);
    const service = { child };
    this.workers.push(service);
    await ready();
    return service;
  }

  /** A GraphQL client (HTTP and graphql-ws) talking to gateway number `n`. */
  client(n = 0): GraphQLClient {
    const client = new GraphQLClient(`127.0.0.1:${this.gateways[n]!.port}`);
    this.clients.push(client);
    return client;
  }

  /**
   * Subscribes through gateway `n` and waits until that gateway listens on the Redis channel,
   * so no event published afterwards can be missed.
   */
  async subscribe<T>(query: string, n = 0, variables?: Record<string, unknown>) {
    const log = await this.client(n).subscribe<T>(query, variables);
    this.subscribedGateways.add(n);
    const redis = this.inspect();
    await waitUntil('gateway subscribed to Redis', async () => {
      const clients = (await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
      return (
        clients.split('\n').filter((line) => line.includes('name=gateway-subscriber') && !line.includes(' sub=0 '))
          .length >= this.subscribedGateways.size
      );
    });
    return log;
  }

  /** A Redis connection for looking at what the system stored. */
  inspect(): Redis {
    const redis = new Redis(this.redis.url, { maxRetriesPerRequest: null });
    this.inspectors.push(redis);
    return redis;
  }

  /** How many jobs were ever added to the job lanes (XINFO STREAM entries-added, all lanes). */
  async jobsEverEnqueued(): Promise<number> {
    const keys = redisKeys(this.prefix);
    const added = await Promise.all(LANES.map((lane) => entriesAdded(this.inspect(), keys.jobs(lane))));
    return added.reduce((sum, n) => sum + n, 0);
  }

  /** Stops Redis and starts it again on the same port and data (an outage, not a loss). */
  async restartRedis(whileDown?: () => Promise<void>): Promise<void> {
    const port = this.redis.port;
    await this.redis.stop();
    await whileDown?.();
    this.redis = await startRedisServer({ port, dir: this.redisDir });
  }

  /** Kills Redis and starts an empty one on the same port: a restart that lost everything. */
  async wipeRedis(whileDown?: () => Promise<void>): Promise<void> {
    const port = this.redis.port;
    await this.redis.stop();
    await whileDown?.();
    this.redis = await startRedisServer({ port });
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
    await Promise.all([...this.gateways, ...this.workers].map(({ child }) => child.stop('SIGTERM', 5_000)));
    for (const redis of this.inspectors) redis.disconnect();
    await this.redis.stop();
    await this.db.drop();
  }
}

/** XINFO STREAM's entries-added of `stream`; 0 when there is no such stream yet. */
/** How many lines a service printed that contain `text` (all it printed: see ManagedChild.lines). */
export function printed(child: { lines(): readonly string[] }, text: string): number {
  return child.lines().filter((line) => line.includes(text)).length;
}

export async function entriesAdded(redis: Redis, stream: string): Promise<number> {
  const info = (await redis.xinfo('STREAM', stream).catch(() => [])) as unknown[];
  const at = info.indexOf('entries-added');
  return at < 0 ? 0 : Number(info[at + 1]);
}
