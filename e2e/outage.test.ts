import { afterEach, describe, expect, it } from 'vitest';
import {
  calculation,
  connection,
  historyIndexes,
  recordConnectionStates,
  shownValue,
  submitIndex,
  waitForConnection,
} from './app-page.js';
import { fibonacciDigits, stack } from './env.js';
import { gatewayOfTheOnlySocket, waitForGateways } from './services.js';
import { useBrowser } from './session.js';

/**
 * The stack runs two gateways behind nginx. Page A's gateway is killed; page B, served by the
 * other one, submits an index and sees its result while A is still disconnected. A must then show
 * it once back: the result was published while A had no socket, so only A's catch-up (it refetches
 * its queries each time its socket is up) can bring it. A's clock is faked and held during the
 * outage, so that its reconnection backoff cannot elapse before B's result is out; everything else
 * (the dead gateway, nginx, the socket, Redis pub/sub) is real. See docs/e2e.md.
 */
describe('a gateway outage', () => {
  const browser = useBrowser();

  // concurrently restarts the killed gateway about 2 s later: the next tests get a whole stack again.
  afterEach(() => waitForGateways(2));

  it('shows reconnecting while the gateway is gone, then live, with a result submitted meanwhile', async () => {
    // Chromium logs a failed WebSocket handshake itself should nginx find no gateway at all.
    browser.allowConsoleErrors(/^console error: WebSocket connection to '\S+\/api\/graphql' failed: .* 502$/);
    const a = await browser.blankPage('A');
    const framesOfA: string[] = [];
    let socketsOfA = 0;
    a.page.on('websocket', (socket) => {
      socketsOfA += 1;
      socket.on('framereceived', (frame) => framesOfA.push(String(frame.payload)));
      socket.on('close', () => (socketsOfA -= 1));
    });
    await a.page.clock.install();
    await a.page.goto(stack().baseUrl);
    await waitForConnection(a.page, 'live');
    const states = await recordConnectionStates(a.page);
    const gatewayOfA = await gatewayOfTheOnlySocket();
    const b = await browser.open('/', 'B');
    await waitForConnection(b.page, 'live');

    await a.page.clock.pauseAt((await a.page.evaluate(() => Date.now())) + 100);
    process.kill(gatewayOfA, 'SIGKILL');
    await waitForConnection(a.page, 'reconnecting');

    // B may have been on the same gateway; it is not held back, and nginx sends it to the other one.
    await waitForConnection(b.page, 'live');
    await submitIndex(b.page, 171);
    expect(await shownValue(b.page, 171)).toBe(fibonacciDigits(171));

    // A missed it: no socket of A's was open when it was published, and nothing of A's shows it.
    expect(await connection(a.page).getAttribute('data-state')).toBe('reconnecting');
    expect(socketsOfA).toBe(0);
    expect(framesOfA.filter((frame) => frame.includes('"index":171'))).toEqual([]);
    expect(await calculation(a.page, 171).count()).toBe(0);

    await a.page.clock.resume();
    await waitForConnection(a.page, 'live', 30_000);
    expect(await shownValue(a.page, 171)).toBe(fibonacciDigits(171));
    await a.page.locator('[data-testid="submission"][data-index="171"]').waitFor();
    expect((await historyIndexes(a.page))[0]).toBe(171);
    expect(await states()).toEqual(['live', 'reconnecting', 'live']);
    expect(a.navigations).toBe(1);
  });
});
