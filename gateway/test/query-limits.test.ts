import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSystem } from './system.js';

let system: TestSystem;

beforeAll(async () => {
  system = await TestSystem.start({ gateways: 1, workers: 0 });
});
afterAll(() => system?.stop());

const aliased = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: calculations(limit: 100) { value }`).join(' ')} }`;

describe('query limits', () => {
  it('refuses an operation with more than 5 aliases before running it', async () => {
    const { data, errors } = await system.client().request(aliased(6));
    expect(data ?? null).toBeNull();
    expect(errors?.[0]?.message).toMatch(/aliases/i);
  });

  it('runs an operation with 5 aliases', async () => {
    const { errors } = await system.client().request(aliased(5));
    expect(errors).toBeUndefined();
  });

  it('applies the same limit to subscriptions over the WebSocket', async () => {
    const events = await system
      .client()
      .subscribe<{ error?: unknown }>(
        `subscription { valueCalculated { ${Array.from({ length: 6 }, (_, i) => `a${i}: index`).join(' ')} } }`,
      );
    const event = await events.waitFor((e) => e.error !== undefined, 5_000);
    expect(JSON.stringify(event.error)).toMatch(/aliases/i);
  });
});
