import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { historyIndexes, waitForConnection } from './app-page.js';
import { loopback } from './clients.js';
import { graphql, waitFor } from './env.js';
import { gatewayPids, waitForGateways } from './services.js';
import { useBrowser } from './session.js';

/** "Calculated values" as shown: each entry's index and status, top first. */
function calculationStates(page: Page): Promise<string[]> {
  return page
    .getByRole('region', { name: 'Calculated values' })
    .getByTestId('calculation')
    .evaluateAll((items) => items.map((item) => `${item.dataset.index}:${item.dataset.status}`));
}

const shown = async (page: Page) => ({
  history: await historyIndexes(page),
  calculations: await calculationStates(page),
});

/**
 * The page trusts the feed: no refetch on reconnect, no polling. A gateway restarts in the middle
 * of a burst of submissions from other clients; the open pages lose their sockets (those on that
 * gateway) and resume from where they were. Each must end showing exactly what a page opened
 * afterwards shows.
 */
describe('pages that trust the feed', () => {
  const browser = useBrowser();
  // concurrently restarts the killed gateway about 2 s later.
  const restored = () => waitForGateways(2);

  it('end with exactly the lists a fresh page shows, after a gateway restarts during a burst of 50 submissions', async () => {
    // Requests in flight to the killed gateway fail, and Chromium logs that itself.
    browser.allowConsoleErrors(
      /^console error: (WebSocket connection to '\S+' failed: .*|Failed to load resource: .* 502 .*)$/,
    );
    const pages = [await browser.open('/', 'A'), await browser.open('/', 'B')];
    for (const { page } of pages) await waitForConnection(page, 'live');

    const burst = Array.from({ length: 50 }, (_, i) => 7_000 + i);
    const submitted = (async () => {
      for (const [i, index] of burst.entries()) {
        // While nginx learns the killed gateway is gone, a submission may be answered 502 (its answer
        // lost, or never sent): submit again until accepted, as a client would. A repeat is one more
        // submission, shown by every page; each index has its own address, so repeats stay under the
        // rate limit.
        await waitFor(`F(${index}) accepted`, () =>
          graphql(`mutation { submitValue(index: ${index}) { index } }`, {}, loopback(50, i)),
        );
      }
    })();
    await waitFor('the burst under way', async () => {
      const { calculation } = await graphql<{ calculation: { status: string } | null }>(
        `{ calculation(index: ${burst[15]}) { status } }`,
      );
      return calculation ? true : undefined;
    });
    process.kill(gatewayPids()[0]!, 'SIGKILL');
    await submitted;
    await restored();
    await waitFor('every result computed', async () => {
      const { calculations } = await graphql<{ calculations: { index: number; status: string }[] }>(
        '{ calculations(limit: 100) { index status } }',
      );
      const done = new Set(calculations.filter((c) => c.status === 'DONE').map((c) => c.index));
      return burst.every((index) => done.has(index)) ? true : undefined;
    });

    const fresh = await browser.open('/', 'fresh');
    await waitForConnection(fresh.page, 'live');
    await fresh.page.locator(`[data-testid="calculation"][data-index="${burst.at(-1)}"]`).waitFor();
    const expected = await shown(fresh.page);
    expect(expected.calculations.every((entry) => entry.endsWith(':DONE'))).toBe(true);
    for (const { page, name } of pages) {
      await waitFor(`page ${name} to show what a fresh page shows`, async () =>
        JSON.stringify(await shown(page)) === JSON.stringify(expected) ? true : undefined,
      ).catch(async (error: unknown) => {
        expect(await shown(page), `page ${name}`).toEqual(expected);
        throw error;
      });
    }
    expect(pages.map((p) => p.navigations)).toEqual([1, 1]);
  });
});
