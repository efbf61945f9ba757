// Every page of SUMMARY.md loads cleanly and stays light: no console error,
// no failed request, nothing fetched from another host, and no mermaid
// (diagrams are SVGs rendered at build time). One load per page checks
// both; soft assertions report every problem of that load.
const { test, expect } = require('@playwright/test');
const book = require('./book');

const MERMAID_SCRIPT = /\/assets\/mermaid\.min\.js$|mermaid[^/]*\.js$/;

// print.html first: the largest page, so that no worker starts it last.
for (const entry of [{ title: '打印版', html: 'print.html' }, ...book.pages()]) {
    test(`${entry.html}（${entry.title}）loads without errors and without mermaid`, async ({ page }) => {
        const seen = book.watch(page);
        await page.goto(entry.html);
        await page.waitForLoadState('networkidle');
        const mermaidRequests = seen.requests().filter(u => MERMAID_SCRIPT.test(new URL(u).pathname));
        expect.soft(mermaidRequests, `${entry.html}: a diagram without its build-time SVG `
            + '(run `cargo xtask diagrams`) makes the page load mermaid').toEqual([]);
        expect.soft(await page.evaluate(() => typeof window.mermaid), `${entry.html}: window.mermaid`)
            .toBe('undefined');
        if (book.hasUnrenderedDiagram(entry.html)) {
            // Rendering is part of loading: wait for it to finish.
            await page.waitForSelector('html[data-diagrams]', { timeout: 30_000 });
        }
        expect(seen.problems(), `problems on ${entry.html}`).toEqual([]);
    });
}
