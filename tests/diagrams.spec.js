// Diagrams: drawn at build time (`cargo xtask diagrams`) and inlined as two
// SVGs per diagram, light and dark; the theme class on <html> shows one.
// A diagram whose SVGs are missing falls back to mermaid in the browser
// (theme/diagrams.js), which is tested here on a fixture page.
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const book = require('./book');

const SHOTS = path.join(__dirname, 'test-results', 'screenshots');

/** Each diagram figure: which variant is shown and the shown SVG's size. */
async function figures(page) {
    return page.$$eval('figure.diagram', figs => figs.map((fig, i) => {
        const shown = [...fig.children].filter(c => getComputedStyle(c).display !== 'none');
        const svg = shown[0]?.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
            diagram: i + 1,
            shown: shown.map(c => c.className),
            width: box ? Math.round(box.width) : 0,
            height: box ? Math.round(box.height) : 0,
            texts: svg ? svg.querySelectorAll('text, foreignObject').length : 0,
        };
    }));
}

function checkAll(found, variant, where) {
    expect(found.length, `${where}: no diagrams found`).toBeGreaterThan(0);
    for (const d of found) {
        const at = `${where}, diagram ${d.diagram}`;
        expect(d.shown, `${at}: exactly the ${variant} SVG is shown`).toEqual([`diagram-${variant}`]);
        expect(d.width, `${at}: the SVG has no width`).toBeGreaterThan(100);
        expect(d.height, `${at}: the SVG has no height`).toBeGreaterThan(50);
        expect(d.texts, `${at}: the SVG has no text`).toBeGreaterThan(0);
    }
}

async function switchTheme(page, theme) {
    // The menu bar hides while the page is scrolled down.
    await page.evaluate(() => window.scrollTo(0, 0));
    if (!await page.locator('#mdbook-theme-list').isVisible()) {
        await page.click('#mdbook-theme-toggle');
    }
    await page.click(`#mdbook-theme-${theme}`);
}

const withDiagrams = [...book.pages(), { title: '打印版', html: 'print.html' }]
    .filter(e => book.hasDiagram(e.html));

test('the book has diagrams to test (ch03 has one)', () => {
    expect(withDiagrams.map(e => e.html)).toContain('ch03-send.html');
});

for (const entry of withDiagrams) {
    test(`${entry.html}（${entry.title}）: build-time SVGs in light and dark themes`, async ({ page }) => {
        const where = `${entry.html}（${entry.title}）`;
        expect(book.hasUnrenderedDiagram(entry.html),
            `${where} has a diagram without SVGs: run \`cargo xtask diagrams\``).toBe(false);
        const seen = book.watch(page);
        await page.emulateMedia({ colorScheme: 'light' });
        await page.goto(entry.html);
        checkAll(await figures(page), 'light', `${where} (light)`);
        await switchTheme(page, 'navy');
        checkAll(await figures(page), 'dark', `${where} (navy)`);
        await switchTheme(page, 'ayu');
        checkAll(await figures(page), 'dark', `${where} (ayu)`);
        expect(seen.problems(), `problems on ${where}`).toEqual([]);
        expect(await page.evaluate(() => typeof window.mermaid)).toBe('undefined');
    });
}

test('screenshots of ch03 in light and dark themes', async ({ page }, info) => {
    await page.goto('ch03-send.html');
    for (const theme of ['light', 'navy']) {
        await switchTheme(page, theme);
        if (await page.locator('#mdbook-theme-list').isVisible()) {
            await page.click('#mdbook-theme-toggle'); // close the theme menu
        }
        await page.locator('figure.diagram').first().evaluate(e => e.scrollIntoView({ block: 'center' }));
        const file = path.join(SHOTS, `ch03-send-${theme}.png`);
        await page.screenshot({ path: file });
        await info.attach(`ch03-send-${theme}`, { path: file, contentType: 'image/png' });
    }
});

/** The ch03 page with its diagram as a `<pre class="mermaid">` of `source`. */
function unrenderedCh03(source) {
    const html = book.builtHtml('ch03-send.html');
    const figure = html.match(/<figure class="diagram"[\s\S]*?<\/figure>/)[0];
    const escaped = source.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return html.replace(figure, `<pre class="mermaid">${escaped}</pre>`);
}

/** The source of ch03's first diagram, as the chapter list gives it. */
function ch03Source() {
    return book.summary().find(e => e.file === 'ch03-send.md').diagrams[0];
}

test('a diagram without SVGs is drawn by mermaid in the browser, in both themes', async ({ page }) => {
    await page.route('**/unrendered-diagram.html', route =>
        route.fulfill({ contentType: 'text/html', body: unrenderedCh03(ch03Source()) }));
    const seen = book.watch(page);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('unrendered-diagram.html');
    await page.waitForSelector('html[data-diagrams="default"]', { timeout: 30_000 });
    await expect(page.locator('pre.mermaid > svg')).toHaveCount(1);
    await switchTheme(page, 'navy');
    await page.waitForSelector('html[data-diagrams="dark"]', { timeout: 30_000 });
    await expect(page.locator('pre.mermaid[data-theme="dark"] > svg')).toHaveCount(1);
    expect(seen.problems()).toEqual([]);
});

test('a diagram with a syntax error is reported, naming the page', async ({ page }) => {
    const html = unrenderedCh03('sequenceDiagram\n    this is -> not mermaid ((');
    await page.route('**/broken-diagram.html', route => route.fulfill({ contentType: 'text/html', body: html }));
    const errors = [];
    page.on('console', msg => msg.type() === 'error' && errors.push(msg.text()));
    await page.goto('broken-diagram.html');
    await page.waitForSelector('html[data-diagrams]', { timeout: 30_000 });
    await expect(page.locator('pre.mermaid .diagram-error').first()).toContainText('语法错误');
    expect(errors.join('\n')).toContain('broken-diagram.html');
});
