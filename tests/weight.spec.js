// Page weight: what a reader downloads to open a page (HTML, CSS, scripts,
// fonts, images), summed from the browser's resource timing. The figures
// are printed for README.md (开发); a page without a diagram must stay far
// below mermaid's 2.6 MB.
const { test, expect } = require('@playwright/test');
const book = require('./book');

/** Bytes transferred to load `path` in a fresh browser context (no cache). */
async function weigh(browser, path) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL(path, book.BOOK_URL).href);
    await page.waitForLoadState('networkidle');
    return page.evaluate(() => {
        const entries = [
            ...performance.getEntriesByType('navigation'),
            ...performance.getEntriesByType('resource'),
        ];
        const total = entries.reduce((n, e) => n + e.transferSize, 0);
        const largest = entries
            .sort((a, b) => b.transferSize - a.transferSize)
            .slice(0, 3)
            .map(e => `${e.name.split('/').pop()} ${(e.transferSize / 1024).toFixed(0)} KiB`);
        return { total, requests: entries.length, largest };
    }).finally(() => context.close());
}

// ch10 (the complete SleepingLoop example) has diagrams in the final
// book; until it is written, ch03 stands in as the diagram page.
const DIAGRAM_PAGE = book.pages().find(p => /^ch10-/.test(p.html))?.html || 'ch03-send.html';

test('page weight of the introduction and of a diagram page', async ({ browser }) => {
    const intro = await weigh(browser, 'introduction.html');
    const diagram = await weigh(browser, DIAGRAM_PAGE);
    const kib = n => `${(n / 1024).toFixed(0)} KiB`;
    console.log(`page weight: introduction.html ${kib(intro.total)} in ${intro.requests} requests `
        + `(largest: ${intro.largest.join(', ')}); ${DIAGRAM_PAGE} ${kib(diagram.total)} in `
        + `${diagram.requests} requests (largest: ${diagram.largest.join(', ')})`);
    expect(intro.total, 'the introduction has no diagram').toBeLessThan(1024 * 1024);
    expect(diagram.total).toBeGreaterThan(intro.total);
});
