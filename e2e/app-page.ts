/**
 * The web client as a person uses it, by the selectors docs/web-client.md guarantees.
 */
import type { Locator, Page } from 'playwright-core';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';
export type Status = 'PENDING' | 'DONE' | 'FAILED';

export const connection = (page: Page): Locator => page.getByTestId('connection-status');

/** Resolves once the indicator shows `state`. */
export async function waitForConnection(page: Page, state: ConnectionState, timeout = 15_000): Promise<void> {
  await page.locator(`[data-testid="connection-status"][data-state="${state}"]`).waitFor({ timeout });
}

/** Types the index into the field and presses Enter. */
export async function submitIndex(page: Page, index: number | string): Promise<void> {
  const field = page.getByLabel('Fibonacci index');
  await field.fill(String(index));
  await field.press('Enter');
}

/** The entry of F(index) in "Calculated values", in `status` when given. */
export function calculation(page: Page, index: number, status?: Status): Locator {
  const panel = page.getByRole('region', { name: 'Calculated values' });
  const state = status ? `[data-status="${status}"]` : '';
  return panel.locator(`[data-testid="calculation"][data-index="${index}"]${state}`);
}

/** The value of a DONE entry of a short value: all its digits, as shown. */
export async function shownValue(page: Page, index: number, timeout = 15_000): Promise<string> {
  const value = calculation(page, index, 'DONE').getByTestId('value');
  await value.waitFor({ timeout });
  return (await value.textContent()) ?? '';
}

/** The entry of a submission of `index` in "Indexes I have seen" (the first, should there be several). */
export function submission(page: Page, index: number): Locator {
  const history = page.getByRole('region', { name: 'Indexes I have seen' });
  return history.locator(`[data-testid="submission"][data-index="${index}"]`).first();
}

/** The indexes in "Indexes I have seen", top (newest) first. */
export async function historyIndexes(page: Page): Promise<number[]> {
  const history = page.getByRole('region', { name: 'Indexes I have seen' });
  return history.getByTestId('submission').evaluateAll((items) => items.map((item) => Number(item.dataset.index)));
}

/**
 * Records every state the connection indicator takes from now on, however briefly: polling from
 * the test could miss a short "reconnecting". Returns a reader of the states seen so far.
 */
export async function recordConnectionStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen = [document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-state') ?? '?'];
    new MutationObserver(() => {
      const state = document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-state') ?? '?';
      if (state !== seen.at(-1)) seen.push(state);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    Object.assign(window, { __connectionStates: seen });
  });
  return () => page.evaluate(() => [...(window as unknown as { __connectionStates: string[] }).__connectionStates]);
}
