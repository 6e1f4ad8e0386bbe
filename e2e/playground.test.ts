import { describe, expect, it } from 'vitest';
import { screenshot } from './artifacts.js';
import { fibonacciDigits, graphql, stack, submitThroughApi, waitFor } from './env.js';
import { execute, openTab, typeOperation, waitForPlayground, waitForResult } from './playground-page.js';
import { useBrowser } from './session.js';

describe('the GraphQL playground, through nginx', () => {
  const browser = useBrowser();
  const openPlayground = async () => {
    const playground = await browser.open('/playground', 'playground');
    await waitForPlayground(playground.page);
    return playground;
  };

  it('is where a browser opening /api/graphql lands', async () => {
    const { page } = await browser.blankPage('playground');
    const response = await page.goto(`${stack().baseUrl}/api/graphql`);

    expect(new URL(page.url()).pathname).toBe('/playground');
    expect(response?.status()).toBe(200);
    expect(response?.request().redirectedFrom()?.url()).toBe(`${stack().baseUrl}/api/graphql`);
    await waitForPlayground(page);
    await page.getByText('fibgraph playground').waitFor();
  });

  it('runs a query typed into it and shows the answer: F(181) just submitted, exact', async () => {
    await submitThroughApi(181);
    await waitFor('F(181) computed', async () => {
      const { calculation } = await graphql<{ calculation: { status: string } }>(
        '{ calculation(index: 181) { status } }',
      );
      return calculation.status === 'DONE' ? true : undefined;
    });
    const { page } = await openPlayground();

    await typeOperation(page, '{ calculation(index: 181) { index status value } }');
    await execute(page);

    // Monaco draws only the lines in view: the beginning of the answer is what can be read.
    const text = await waitForResult(page, (t) => t.includes('"calculation"'));
    expect(text).toMatch(/^\{\s*"data": \{\s*"calculation": \{\s*"index": 181,\s*"status": "DONE",/);
    expect(text).toContain(`"value": "${fibonacciDigits(181)}"`);
  });

  it('receives valueCalculated events on its Live tab', async () => {
    const { page } = await openPlayground();
    const subscribed = new Promise<void>((resolve) => {
      page.on('websocket', (socket) =>
        socket.on('framesent', (frame) => String(frame.payload).includes('"type":"subscribe"') && resolve()),
      );
    });
    // Running the subscription, then never switching tabs: GraphiQL stops it on a tab switch.
    await openTab(page, 'Live');
    await execute(page);
    await subscribed;

    // graphql-ws acknowledges no subscription, and the gateway joins the Redis channel right after the
    // message: an event published in between is not for this socket. So submit again until one arrives.
    let received = '';
    for (let index = 190; !received; index++) {
      await submitThroughApi(index);
      const arrived = (t: string) => t.includes('"valueCalculated"') && t.includes(`"index": ${index},`);
      received = await waitForResult(page, arrived, 5_000).catch((error: unknown) => {
        if (index >= 192) throw error;
        return '';
      });
      if (received) expect(received).toContain(`"value": "${fibonacciDigits(index)}"`);
    }
    await screenshot(page, 'playground');
  });
});
