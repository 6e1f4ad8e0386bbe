import { describe, expect, it } from 'vitest';
import { shownValue, submitIndex, waitForConnection } from './app-page.js';
import { foreignRequests } from './browser.js';
import { stack } from './env.js';
import { execute, typeOperation, waitForPlayground, waitForResult } from './playground-page.js';
import { useBrowser } from './session.js';

// Every test of every file checks this too, after the test (e2e/session.ts); here it is the subject.
describe('what the pages load', () => {
  const browser = useBrowser();

  it('comes from the page’s own host only, with no console error, for the app and the playground', async () => {
    const app = await browser.open('/', 'app');
    await waitForConnection(app.page, 'live');
    await submitIndex(app.page, 195);
    await shownValue(app.page, 195);

    const playground = await browser.open('/playground', 'playground');
    await waitForPlayground(playground.page);
    await typeOperation(playground.page, '{ limits { maxIndex } }');
    await execute(playground.page);
    await waitForResult(playground.page, (text) => text.includes('"maxIndex": 1000000'));

    const { origin, host } = new URL(stack().baseUrl);
    // Some of each kind, so that an empty record cannot pass for a clean one.
    expect(app.requests).toContain(`ws://${host}/api/graphql`);
    expect(playground.requests).toContain(`${origin}/api/graphql`);
    for (const { name, requests, consoleErrors } of [app, playground]) {
      expect(
        requests.some((url) => url.startsWith(`${origin}/assets/`)),
        `${name} loads its scripts`,
      ).toBe(true);
      expect(foreignRequests(requests, stack().baseUrl), `${name} requests another host`).toEqual([]);
      expect(consoleErrors, `${name} logs errors`).toEqual([]);
    }
  });
});
