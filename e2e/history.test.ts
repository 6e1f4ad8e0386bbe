import { describe, expect, it } from 'vitest';
import { historyIndexes, waitForConnection } from './app-page.js';
import { graphql } from './env.js';
import { useBrowser } from './session.js';

type Page = { values: { id: string; index: number }[] };

/** Every submission ever stored, newest first, read through the API a page at a time. */
async function everySubmission(): Promise<number[]> {
  const all: Page['values'] = [];
  for (;;) {
    const { values } = await graphql<Page>('query ($before: ID) { values(limit: 100, before: $before) { id index } }', {
      before: all.at(-1)?.id,
    });
    all.push(...values);
    if (values.length < 100) return all.map((s) => s.index);
  }
}

describe('"Indexes I have seen"', () => {
  const browser = useBrowser();

  it('reaches every submission ever made: "Older" past the newest 100 loads the rest from the server', async () => {
    // More than the 100 a page loads: five per request (the alias limit), each request from a
    // client of its own (a loopback address), as many people would: one is limited to far fewer.
    const five = [0, 1, 2, 3, 4].map((i) => `s${i}: submitValue(index: ${2 + i}) { index }`).join(' ');
    for (let request = 0; request < 21; request++) await graphql(`mutation { ${five} }`, {}, `127.0.1.${request + 1}`);
    const stored = await everySubmission();
    expect(stored.length).toBeGreaterThan(100);

    const { page } = await browser.open('/', 'A');
    await waitForConnection(page, 'live');
    const nav = page.getByRole('navigation', { name: 'Indexes I have seen pages' });
    await nav.getByText('1–20 of 100+').waitFor();

    // Page by page, as a person would, until "Older" has nothing left to show.
    const older = nav.getByRole('button', { name: 'Older' });
    const seen: number[] = [];
    for (;;) {
      seen.push(...(await historyIndexes(page)));
      if (await older.isDisabled()) break;
      const position = await nav.locator('.pager-position').textContent();
      await older.click();
      await page.waitForFunction(
        (before) =>
          document.querySelector('[aria-label="Indexes I have seen pages"] .pager-position')?.textContent !== before,
        position,
      );
    }
    expect(await nav.locator('.pager-position').textContent()).toMatch(
      new RegExp(`of ${stored.length.toLocaleString('en-US')}$`),
    );
    expect(seen).toEqual(stored);
  });
});
