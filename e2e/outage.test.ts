import { afterEach, describe, expect, it } from 'vitest';
import {
  calculation,
  connection,
  historyIndexes,
  recordConnectionStates,
  shownValue,
  submission,
  submitIndex,
  waitForConnection,
} from './app-page.js';
import { fibonacciDigits, stack, submitThroughApi } from './env.js';
import { gatewayOfTheOnlySocket, waitForGateways } from './services.js';
import { useBrowser } from './session.js';

/**
 * The stack runs two gateways behind nginx. Page A's gateway is killed; page B, served by the
 * other one, submits an index and sees its result while A is still disconnected, and another
 * client submits one more. A must then show both once back: they were published while A had no
 * socket, so only A's catch-up can bring them. A's clock is faked and held during the outage, so
 * that its reconnection backoff cannot elapse before they are out; everything else (the dead
 * gateway, nginx, the socket, Redis pub/sub) is real. See docs/e2e.md.
 *
 * The test asserts on what it owns: its two indexes, and that A, back, shows the same list as a
 * page opened afresh. "171 on top" was once asserted, and failed when someone else submitted.
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

    // A request in flight to the killed gateway would fail (502) and log a console error: a crash
    // does that, but this test is about A's catch-up, so it kills between requests.
    await Promise.all([a.settled(), b.settled()]);
    await a.page.clock.pauseAt((await a.page.evaluate(() => Date.now())) + 100);
    process.kill(gatewayOfA, 'SIGKILL');
    await waitForConnection(a.page, 'reconnecting');

    // B may have been on the same gateway; it is not held back, and nginx sends it to the other one.
    await waitForConnection(b.page, 'live');
    await submitIndex(b.page, 171);
    expect(await shownValue(b.page, 171)).toBe(fibonacciDigits(171));
    // Someone else submits too: A must place it as the server does, above 171.
    await submitThroughApi(172);

    // A missed it: no socket of A's was open when it was published, and nothing of A's shows it.
    expect(await connection(a.page).getAttribute('data-state')).toBe('reconnecting');
    expect(socketsOfA).toBe(0);
    expect(framesOfA.filter((frame) => frame.includes('"index":171'))).toEqual([]);
    expect(await calculation(a.page, 171).count()).toBe(0);

    await a.page.clock.resume();
    await waitForConnection(a.page, 'live', 30_000);
    expect(await shownValue(a.page, 171)).toBe(fibonacciDigits(171));
    await submission(a.page, 172).waitFor();
    await submission(a.page, 171).waitFor();
    expect(await states()).toEqual(['live', 'reconnecting', 'live']);
    expect(a.navigations).toBe(1);

    // A's history is what a page opened now shows: the missed submissions in their place, in order.
    const fresh = await browser.open('/', 'fresh');
    await waitForConnection(fresh.page, 'live');
    await submission(fresh.page, 172).waitFor();
    const shown = await historyIndexes(a.page);
    expect(shown).toEqual(await historyIndexes(fresh.page));
    expect(shown.indexOf(172)).toBeLessThan(shown.indexOf(171));
  });
});
