// Diagrams render as SVG in a light and in a dark theme, on every page that
// has one; a syntax error fails the test of that page, named by chapter.
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const book = require('./book');

const SHOTS = path.join(__dirname, 'test-results', 'screenshots');

/** Each diagram on the page: whether it is an SVG, and its error if any. */
async function diagrams(page) {
    return page.$$eval('pre.mermaid', pres => pres.map((pre, i) => ({
        diagram: i + 1,
        svg: pre.querySelector(':scope > svg') !== null,
        error: pre.dataset.diagramError || null,
        theme: pre.dataset.theme || null,
        markup: pre.innerHTML,
    })));
}

function checkAll(found, where) {
    expect(found.length, `${where}: no diagrams found`).toBeGreaterThan(0);
    for (const d of found) {
        expect(d.error, `${where}, diagram ${d.diagram}: mermaid error`).toBeNull();
        expect(d.svg, `${where}, diagram ${d.diagram}: no SVG`).toBe(true);
    }
}

async function switchTheme(page, theme) {
    // The menu bar hides while the page is scrolled down.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click('#mdbook-theme-toggle');
    await page.click(`#mdbook-theme-${theme}`);
}

const withDiagrams = [...book.pages(), { title: '打印版', html: 'print.html' }]
    .filter(e => book.hasDiagram(e.html));

test('the book has diagrams to test (ch03 has one)', () => {
    expect(withDiagrams.map(e => e.html)).toContain('ch03-send.html');
});

for (const entry of withDiagrams) {
    test(`${entry.html}（${entry.title}）: diagrams render in light and dark themes`, async ({ page }, info) => {
        const where = `${entry.html}（${entry.title}）`;
        const seen = book.watch(page);
        await page.emulateMedia({ colorScheme: 'light' });
        await page.goto(entry.html);
        await page.waitForSelector('html[data-diagrams="default"]', { timeout: 30_000 });
        const light = await diagrams(page);
        checkAll(light, `${where} (light)`);

        await switchTheme(page, 'navy');
        await page.waitForSelector('html[data-diagrams="dark"]', { timeout: 30_000 });
        const dark = await diagrams(page);
        checkAll(dark, `${where} (dark)`);
        for (const [i, d] of dark.entries()) {
            expect(d.theme, `${where}, diagram ${d.diagram}`).toBe('dark');
            expect(d.markup, `${where}, diagram ${d.diagram}: same SVG in both themes`)
                .not.toEqual(light[i].markup);
        }
        expect(seen.problems(), `problems on ${where}`).toEqual([]);
    });
}

test('screenshots of ch03 in light and dark themes', async ({ page }, info) => {
    await page.goto('ch03-send.html');
    await page.waitForSelector('html[data-diagrams="default"]', { timeout: 30_000 });
    for (const [theme, expected] of [['light', 'default'], ['navy', 'dark']]) {
        await switchTheme(page, theme);
        await page.waitForSelector(`html[data-diagrams="${expected}"]`, { timeout: 30_000 });
        await page.click('#mdbook-theme-toggle'); // close the theme menu
        // The page from its diagram on: Chinese text, code and the SVG.
        await page.locator('pre.mermaid').first().evaluate(e => e.scrollIntoView({ block: 'center' }));
        const file = path.join(SHOTS, `ch03-send-${theme}.png`);
        await page.screenshot({ path: file });
        await info.attach(`ch03-send-${theme}`, { path: file, contentType: 'image/png' });
    }
});

test('a diagram with a syntax error is reported, naming the page', async ({ page }) => {
    // The real ch03 page with its diagram broken: the same scripts must
    // show the error and log it, which fails the page tests above.
    const html = book.builtHtml('ch03-send.html')
        .replace('<pre class="mermaid">sequenceDiagram', '<pre class="mermaid">sequenceDiagram\n    this is -> not mermaid ((');
    await page.route('**/broken-diagram.html', route => route.fulfill({ contentType: 'text/html', body: html }));
    const errors = [];
    page.on('console', msg => msg.type() === 'error' && errors.push(msg.text()));
    await page.goto('broken-diagram.html');
    await page.waitForSelector('html[data-diagrams]', { timeout: 30_000 });
    const found = await diagrams(page);
    expect(found[0].error).not.toBeNull();
    await expect(page.locator('pre.mermaid .diagram-error').first()).toContainText('语法错误');
    expect(errors.join('\n')).toContain('broken-diagram.html');
});
