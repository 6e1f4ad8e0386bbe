/**
 * Resumed pages: what an event costs when every open page subscribed from a cursor of its own, as
 * pages do that were opened at different moments and stay open (each subscribes after the feed's
 * cursor as it read it on loading). The fan-out part's crowd opens in a few seconds with no result
 * in between, so all of its pages share one cursor; here, RESUMED_PAGES (1,000) pages are opened
 * one after another, each once a fresh result has moved the feed's cursor on, so no two share one.
 * Every page hears every result that comes after it opened. Then a burst of BURST submissions at
 * once; each page must hear all of them.
 *
 * Alone: `npm run build && npx tsx scripts/bench/resumed.ts` starts the bench stack and prints the section.
 */
import { pathToFileURL } from 'node:url';
import {
  CalculatedSubscriber,
  Deadline,
  FreshIndexes,
  GraphQLClients,
  loadAddress,
  outcomeOf,
  runAlone,
} from './load.js';
import type { BenchPart, BenchStack } from './section.js';
import { count, percentile, wholeMs as ms } from './stats.js';
import { cpuMsOf, usedSince } from './watch.js';

const BURST = 20;
const TARGET_MS = 2_000;
/** Load addresses of this part (load.ts): pages from 100,000 on, submissions from 110,000 (at most 270). */
const PAGE_ADDRESS = 100_000;
const SUBMIT_ADDRESS = 110_000;
const MAX_PAGES = SUBMIT_ADDRESS - PAGE_ADDRESS;
/** How long one submission may go unanswered, and its result unheard by the newest page. */
const REQUEST_MS = 20_000;

const gatewayCpu = (stack: BenchStack) =>
  cpuMsOf(stack.processes().flatMap(({ role, pid }) => (role === 'gateway' ? [pid] : [])));

export const resumedBench: BenchPart = async (stack) => {
  const pages = Number(process.env.RESUMED_PAGES ?? 1_000);
  if (!Number.isInteger(pages) || pages < 1 || pages > MAX_PAGES)
    throw new RangeError(`RESUMED_PAGES: 1..${MAX_PAGES}`);
  const deadline = new Deadline(Number(process.env.RESUMED_DEADLINE_S ?? 180) * 1_000);
  const clients = new GraphQLClients(stack.baseUrl, deadline);
  const fresh = FreshIndexes.of(stack);
  const problems: string[] = [];
  const opened: CalculatedSubscriber[] = [];
  let submissions = 0;
  /**
   * Submits a fresh index; resolves once `page` (the newest one) heard its result. False, with a
   * problem, when the submission or its result takes longer than REQUEST_MS.
   */
  const result = async (page: CalculatedSubscriber | undefined): Promise<boolean> => {
    const index = fresh.large();
    const answer = await clients.submit(loadAddress(SUBMIT_ADDRESS + (submissions++ % 250)), index, REQUEST_MS);
    if (outcomeOf(answer) !== 'ok') {
      problems.push(`submitValue(${index}): ${outcomeOf(answer)}`);
      return false;
    }
    const until = Date.now() + REQUEST_MS;
    while (page && !page.heard.has(index) && Date.now() < until && !deadline.passed()) await deadline.sleep(1);
    if (!page || page.heard.has(index)) return true;
    problems.push(`the result of submitValue(${index}) did not reach the newest page in ${REQUEST_MS / 1000} s`);
    return false;
  };
  try {
    // Open: each page after a result the page before it heard, so the feed's cursor has moved on.
    const openCpu = gatewayCpu(stack);
    const openedAt = Date.now();
    for (let i = 0; i < pages && !deadline.passed(); i++) {
      if (!(await result(opened.at(-1)))) break;
      const page = new CalculatedSubscriber();
      opened.push(page);
      try {
        await page.open(stack.baseUrl, loadAddress(PAGE_ADDRESS + i), clients, deadline);
      } catch (error) {
        problems.push(`page ${i + 1} could not subscribe: ${(error as Error).message}`);
        opened.pop()?.close();
        break;
      }
    }
    // One more, heard by the last page: every page is subscribed (an earlier one hears it too).
    if (!(await result(opened.at(-1)))) problems.push('the last page did not hear the result after it');
    const openMs = Date.now() - openedAt;
    const openGatewayMs = usedSince(openCpu);
    const cursors = new Set(opened.map((page) => page.cursor)).size;
    if (opened.length < pages) problems.push(`opened only ${opened.length} of ${pages} pages before the deadline`);

    // The burst: every submission at once, each from its own address.
    const burstCpu = gatewayCpu(stack);
    const indexes = Array.from({ length: BURST }, () => fresh.large());
    const submittedAt = new Map<number, number>();
    const answers = await Promise.all(
      indexes.map((index, i) => {
        submittedAt.set(index, performance.now());
        return clients.submit(loadAddress(SUBMIT_ADDRESS + 250 + i), index);
      }),
    );
    const accepted = indexes.filter((_, i) => outcomeOf(answers[i]!) === 'ok');
    for (const [i, answer] of answers.entries())
      if (outcomeOf(answer) !== 'ok') problems.push(`burst submitValue(${indexes[i]}): ${outcomeOf(answer)}`);
    const hasAll = (page: CalculatedSubscriber) => accepted.every((index) => page.heard.has(index));
    // Until every page has the burst, or can no longer get it.
    while (!opened.every((page) => hasAll(page) || page.closedEarly) && !deadline.passed()) await deadline.sleep(5);
    const burstGatewayMs = usedSince(burstCpu);

    const lastArrival: number[] = [];
    let missed = 0;
    for (const page of opened) {
      let last = -Infinity;
      for (const index of accepted) {
        const heard = page.heard.get(index);
        if (heard) last = Math.max(last, heard.at - submittedAt.get(index)!);
        else missed += 1;
      }
      if (hasAll(page)) lastArrival.push(last);
    }
    lastArrival.sort((a, b) => a - b);
    if (missed > 0) problems.push(`${count(missed)} events of accepted submissions never reached their page`);
    const closed = opened.filter((page) => page.closedEarly).length;
    if (closed > 0)
      problems.push(`${closed} pages' subscriptions ended early: ${opened.find((p) => p.closedEarly)?.closedEarly}`);
    const repeats = opened.reduce((sum, page) => sum + page.repeats, 0);
    if (repeats > 0) problems.push(`${repeats} events came twice`);
    const within = lastArrival.filter((took) => took <= TARGET_MS).length;
    const delivered = opened.length * accepted.length;

    return {
      title: 'Resumed pages: every page from a cursor of its own',
      markdown: [
        `${count(pages)} pages, each a graphql-ws subscriber to \`valueCalculated(after: feedCursor)\` through nginx`,
        'from its own loopback address, opened one after another, each once a fresh result had moved the',
        "feed's cursor on (so each subscribed from a cursor of its own, as pages opened at different",
        'moments do); every page hears every later result. Then a burst of',
        `${BURST} fresh submissions at once; "last event" is when a page had the whole burst, from its submission.`,
        '',
        `- Opened: ${count(opened.length)} pages from ${count(cursors)} different cursors in ${ms(openMs)};` +
          ` the gateway's CPU meanwhile ${ms(openGatewayMs)} (${count((opened.length * (opened.length + 1)) / 2)} events delivered, about)`,
        `- Burst: ${accepted.length} of ${BURST} accepted; pages that had all: ${count(lastArrival.length)} of` +
          ` ${count(opened.length)}, within 2 s: ${count(within)}; the gateway's CPU until the last had all:` +
          ` ${ms(burstGatewayMs)} (${delivered ? ((burstGatewayMs * 1_000) / delivered).toFixed(1) : '-'} µs per event delivered)`,
        '',
        '| delivery | p50 | p90 | p99 | max |',
        '|---|---|---|---|---|',
        `| last event of the burst, per page | ${[50, 90, 99, 100].map((p) => ms(percentile(lastArrival, p))).join(' | ')} |`,
      ].join('\n'),
      figures: [
        {
          figure: `pages from ${count(cursors)} different cursors / each gets ${BURST}-event burst within 2 s`,
          measured: `${count(within)} of ${count(opened.length)} within 2 s (p99 ${ms(percentile(lastArrival, 99))}); gateway ${
            delivered ? ((burstGatewayMs * 1_000) / delivered).toFixed(1) : '-'
          } µs per event delivered`,
          target: `${count(pages)}, all within 2 s`,
          met: opened.length === pages && within === pages && accepted.length === BURST,
        },
      ],
      charts: [],
      problems,
    };
  } finally {
    for (const page of opened) page.close();
    clients.close();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAlone(resumedBench);
