// Every page of SUMMARY.md loads cleanly and stays light: no console error,
// no failed request, nothing fetched from another host, and no mermaid
// (diagrams are SVGs rendered at build time).
const { test, expect } = require('@playwright/test');
const book = require('./book');

const MERMAID_SCRIPT = /\/assets\/mermaid\.min\.js$|mermaid[^/]*\.js$/;

for (const entry of [...book.pages(), { title: '打印版', html: 'print.html' }]) {
    test(`${entry.html}（${entry.title}）loads without errors`, async ({ page }) => {
        const seen = book.watch(page);
        await page.goto(entry.html);
        await page.waitForLoadState('networkidle');
        if (book.hasUnrenderedDiagram(entry.html)) {
            // Rendering is part of loading: wait for it to finish.
            await page.waitForSelector('html[data-diagrams]', { timeout: 30_000 });
        }
        expect(seen.problems(), `problems on ${entry.html}`).toEqual([]);
    });

    test(`${entry.html}（${entry.title}）loads no mermaid`, async ({ page }) => {
        const seen = book.watch(page);
        await page.goto(entry.html);
        await page.waitForLoadState('networkidle');
        const mermaidRequests = seen.requests().filter(u => MERMAID_SCRIPT.test(new URL(u).pathname));
        expect(mermaidRequests, `${entry.html}: a diagram without its build-time SVG `
            + '(run `cargo xtask diagrams`) makes the page load mermaid').toEqual([]);
        expect(await page.evaluate(() => typeof window.mermaid)).toBe('undefined');
    });
}
