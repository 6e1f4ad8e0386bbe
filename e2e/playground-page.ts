/**
 * GraphiQL 5 at /playground as a person uses it. Its editors are Monaco: they render only the
 * visible lines, close brackets as you type, and draw spaces as no-break spaces, hence the
 * helpers below rather than `fill()` and `textContent`.
 */
import type { Locator, Page } from 'playwright-core';

const EXECUTE = 'Execute query (Ctrl-Enter)';

export const operationEditor = (page: Page): Locator => page.getByLabel('Operation Editor');
export const resultWindow = (page: Page): Locator => page.getByLabel('Result Window');

/** Waits until GraphiQL has drawn its editors (it loads the schema and the workers meanwhile). */
export async function waitForPlayground(page: Page): Promise<void> {
  await operationEditor(page).locator('.view-lines').waitFor();
  await page.getByRole('button', { name: EXECUTE }).waitFor();
}

/** The title GraphiQL gives a tab: its operation's name, `<untitled>` for an anonymous one. */
const tabTitle = (operation: string) =>
  /^\s*(?:query|mutation|subscription)\s+([_A-Za-z]\w*)/.exec(operation)?.[1] ?? '<untitled>';

/**
 * Replaces the operation in the editor with `text`, and waits until GraphiQL has taken it in: it
 * reads the editor 100 ms after the last change, and a run before that sends the old operation's
 * name with the new text ("Unknown operation named ...").
 */
export async function typeOperation(page: Page, text: string): Promise<void> {
  await operationEditor(page).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText arrives as one input, like a paste: Monaco adds no closing brackets of its own.
  await page.keyboard.insertText(text);
  await activeTab(page, tabTitle(text)).waitFor();
}

const activeTab = (page: Page, title: string) =>
  page.locator('.graphiql-tab-active .graphiql-tab-button').getByText(title, { exact: true });

/**
 * The tab named after its operation: `Values`, `Submit`, `Live`. Switching tabs stops a running
 * subscription. Like typing, a switch puts the tab's operation in the editor, which GraphiQL reads
 * 100 ms later: until then a run sends the new text under the old tab's operation name (over HTTP,
 * for a subscription, which the server refuses). The same debounced read saves the text as
 * `graphiql:query` in localStorage, so once that holds the tab's operation, a run is safe. (The
 * tab active at load needs no wait: GraphiQL reads its operation when it creates the editor.)
 */
export async function openTab(page: Page, name: string): Promise<void> {
  if ((await activeTab(page, name).count()) > 0) return;
  await page.getByRole('tablist').locator('.graphiql-tab-button').getByText(name, { exact: true }).click();
  await activeTab(page, name).waitFor();
  await page.waitForFunction(
    (operation) =>
      new RegExp(`(?:query|mutation|subscription)\\s+${operation}\\b`).test(
        localStorage.getItem('graphiql:query') ?? '',
      ),
    name,
  );
}

export async function execute(page: Page): Promise<void> {
  await page.getByRole('button', { name: EXECUTE }).click();
}

/** The text of the result pane, spaces normal again. */
export async function resultText(page: Page): Promise<string> {
  const text = await resultWindow(page).locator('.view-lines').innerText();
  return text.replaceAll('\u00a0', ' ');
}

/** Polls the result pane until `matches` accepts it; returns that text. */
export async function waitForResult(page: Page, matches: (text: string) => boolean, timeout = 15_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await resultText(page).catch(() => '');
    if (matches(text)) return text;
    if (Date.now() > deadline) throw new Error(`the playground's result pane never matched; it shows:\n${text}`);
    await page.waitForTimeout(100);
  }
}
