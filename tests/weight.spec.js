// Page weight: what a reader downloads to open a page before doing anything
// (HTML, CSS, scripts, fonts, images), summed from the browser's resource
// timing as uncompressed bytes. Every page of the book must stay within
// 350 KiB; the search index (loaded when a reader searches) is not
// counted. print.html, the whole book on one page, is printed but not
// held to the limit. The figures are printed for
// docs/decisions/0011-page-weight.md.
const { test, expect } = require('@playwright/test');
const book = require('./book');

const LIMIT = 350 * 1024;
const SEARCH_INDEX = /\/searchindex[^/]*\.js$/;

/** Uncompressed bytes and requests to load `path` in a fresh context. */
async function weigh(browser, path) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL(path, book.BOOK_URL).href);
    await page.waitForLoadState('networkidle');
    return page.evaluate(pattern => {
        const index = new RegExp(pattern);
        const entries = [
            ...performance.getEntriesByType('navigation'),
            ...performance.getEntriesByType('resource'),
        ].filter(e => !index.test(new URL(e.name).pathname));
        const size = e => e.decodedBodySize || e.transferSize;
        const total = entries.reduce((n, e) => n + size(e), 0);
        const largest = entries
            .sort((a, b) => size(b) - size(a))
            .slice(0, 3)
            .map(e => `${e.name.split('/').pop()} ${(size(e) / 1024).toFixed(0)} KiB`);
        return { total, requests: entries.length, largest };
    }, SEARCH_INDEX.source).finally(() => context.close());
}

const kib = n => `${(n / 1024).toFixed(0)} KiB`;

for (const entry of book.pages()) {
    test(`${entry.html}（${entry.title}）weighs at most 350 KiB before interaction`, async ({ browser }) => {
        const w = await weigh(browser, entry.html);
        console.log(`page weight: ${entry.html} ${kib(w.total)} in ${w.requests} requests `
            + `(largest: ${w.largest.join(', ')})`);
        expect(w.total, `${entry.html}: ${kib(w.total)}; largest: ${w.largest.join(', ')}`)
            .toBeLessThanOrEqual(LIMIT);
    });
}

test('print.html weight (printed, not limited)', async ({ browser }) => {
    const w = await weigh(browser, 'print.html');
    console.log(`page weight: print.html ${kib(w.total)} in ${w.requests} requests `
        + `(largest: ${w.largest.join(', ')})`);
    expect(w.total).toBeGreaterThan(0);
});
