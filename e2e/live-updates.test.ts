import { describe, expect, it } from 'vitest';
import { calculation, historyIndexes, shownValue, submission, submitIndex, waitForConnection } from './app-page.js';
import { screenshot } from './artifacts.js';
import { fibonacciDigits } from './env.js';
import { pauseWorkers } from './services.js';
import { useBrowser } from './session.js';

describe('the web client, through nginx', () => {
  const browser = useBrowser();
  const openApp = async (name: string) => {
    const watched = await browser.open('/', name);
    await waitForConnection(watched.page, 'live');
    return watched;
  };

  it('shows an index submitted in page A, with its exact value, in page A and page B without a reload', async () => {
    const a = await openApp('A');
    const b = await openApp('B');

    await submitIndex(a.page, 150);

    expect(await shownValue(a.page, 150)).toBe(fibonacciDigits(150));
    expect(await shownValue(b.page, 150)).toBe(fibonacciDigits(150));
    // B learned of the submission itself live too: B's history is what a page opened now shows.
    await submission(b.page, 150).waitFor();
    const fresh = await openApp('fresh');
    await submission(fresh.page, 150).waitFor();
    expect(await historyIndexes(b.page)).toEqual(await historyIndexes(fresh.page));
    expect([a.navigations, b.navigations]).toEqual([1, 1]);
  });

  it('refuses -1 and 1,000,001 with an alert in the form, sending and storing nothing', async () => {
    const a = await openApp('A');
    const submissions: string[] = [];
    a.page.on('request', (request) => {
      if (request.postData()?.includes('submitValue')) submissions.push(request.postData() ?? '');
    });
    const alert = a.page.locator('form').getByRole('alert');

    await submitIndex(a.page, -1);
    await alert.waitFor();
    expect(await alert.textContent()).toBe('The index must be 0 or more.');

    await submitIndex(a.page, 1_000_001);
    await alert.filter({ hasText: 'at most' }).waitFor();
    expect(await alert.textContent()).toBe('The index must be at most 1,000,000.');

    expect(submissions).toEqual([]);
    expect(await calculation(a.page, -1).count()).toBe(0);
  });

  it('shows F(500,000) as pending, then as 104,494 digits head…tail, and fetches every digit on "Show all"', async () => {
    const a = await openApp('A');
    const expected = fibonacciDigits(500_000);

    // The worker needs well under a second for it: paused, it cannot finish before the page has shown "pending".
    const resumeWorkers = pauseWorkers();
    try {
      await submitIndex(a.page, 500_000);
      await calculation(a.page, 500_000, 'PENDING').getByText('Calculating…').waitFor();
    } finally {
      resumeWorkers();
    }

    const done = calculation(a.page, 500_000, 'DONE');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.getByTestId('digit-count').textContent()).toBe('104,494 digits');
    expect(await done.getByTestId('value-preview').textContent()).toBe(
      `${expected.slice(0, 20)}…${expected.slice(-20)}`,
    );

    const fetched = a.page.waitForResponse((response) =>
      (response.request().postData() ?? '').includes('"operationName":"CalculationValue"'),
    );
    await done.getByRole('button', { name: /^Show all/ }).click();
    expect((await fetched).ok()).toBe(true);
    const all = done.getByTestId('value');
    await all.waitFor();
    const digits = (await all.textContent()) ?? '';
    expect(digits.length).toBe(104_494);
    // Not toBe(expected): a mismatch would print two 104,494-digit strings.
    expect(digits === expected, 'all digits shown equal F(500,000) computed here').toBe(true);
  });

  it('keeps the history after a reload', async () => {
    const a = await openApp('A');
    for (const index of [161, 162]) {
      await submitIndex(a.page, index);
      await shownValue(a.page, index);
    }
    await submission(a.page, 162).waitFor();
    const before = await historyIndexes(a.page);
    expect(before.indexOf(162)).toBeLessThan(before.indexOf(161));

    await a.page.reload();
    await waitForConnection(a.page, 'live');
    await submission(a.page, 161).waitFor();

    expect(await historyIndexes(a.page)).toEqual(before);
    expect(await shownValue(a.page, 161)).toBe(fibonacciDigits(161));
    expect(a.navigations).toBe(2);
    await screenshot(a.page, 'main-page');
  });
});
