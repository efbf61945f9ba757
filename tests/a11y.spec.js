// Accessibility: axe-core on every page of the book (and the print
// version), in a light and a dark theme: no critical or serious violation.
// A fixture page with an image without alt text and a button without a
// name proves that the check catches such regressions. Also keyboard use
// of the sidebar toggle, focusable code blocks and announced results.
const { test, expect } = require('@playwright/test');
const { AxeBuilder } = require('@axe-core/playwright');
const book = require('./book');

/** Critical and serious violations on the open page, one line each. */
async function seriousViolations(page) {
    // The pages have no frames (the sidebar's <iframe> is inside
    // <noscript>), so axe.run() in the page sees everything: legacy mode.
    // Only there does axe honour `resultTypes`, which spares it a CSS
    // selector for every node that passes a rule; on print.html, the whole
    // book on one page, those selectors took minutes (axe-core's API.md,
    // "Performance"). Violations still list every node.
    expect(page.frames(), `${page.url()} has a frame axe would not enter`).toHaveLength(1);
    const results = await new AxeBuilder({ page })
        .setLegacyMode()
        .options({ resultTypes: ['violations'] })
        .analyze();
    return results.violations
        .filter(v => v.impact === 'critical' || v.impact === 'serious')
        .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`
            + (v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''));
}

/**
 * Switches the open page to `theme` with the theme menu, as a reader does,
 * closes the menu again and waits for the colour transitions to end (axe
 * would otherwise measure contrast halfway between the themes).
 */
async function switchTheme(page, theme) {
    // The menu bar hides while the page is scrolled down.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.click('#mdbook-theme-toggle');
    await page.click(`#mdbook-theme-${theme}`);
    await page.click('#mdbook-theme-toggle');
    await expect(page.locator('#mdbook-theme-list')).toBeHidden();
    await expect(page.locator('html')).toHaveClass(new RegExp(`\\b${theme}\\b`));
    await page.evaluate(() => Promise.all(document.getAnimations()
        .filter(a => a instanceof CSSTransition)
        .map(a => a.finished.catch(() => {}))));
}

// print.html first: it takes longest, and a worker that starts it last
// would leave the other idle.
for (const entry of [{ title: '打印版', html: 'print.html' }, ...book.pages()]) {
    test(`${entry.html}（${entry.title}）: no critical or serious axe violation, light or navy`, async ({ page }) => {
        // print.html holds every chapter at once: axe needs several times
        // longer there.
        test.setTimeout(entry.html === 'print.html' ? 960_000 : 90_000);
        await page.addInitScript(() => localStorage.setItem('mdbook-theme', 'light'));
        await page.goto(entry.html);
        await page.waitForLoadState('networkidle');
        const light = await seriousViolations(page);
        await switchTheme(page, 'navy');
        const navy = await seriousViolations(page);
        expect({ light, navy }, `axe on ${entry.html}`).toEqual({ light: [], navy: [] });
    });
}

test('the axe check catches an image without alt text and a nameless button', async ({ page }) => {
    const html = book.builtHtml('introduction.html')
        .replace('<main>', '<main><img src="favicon.png"><button type="button"></button>');
    await page.route('**/a11y-fixture.html', route => route.fulfill({ contentType: 'text/html', body: html }));
    await page.goto('a11y-fixture.html');
    const found = (await seriousViolations(page)).join('\n');
    expect(found).toContain('image-alt');
    expect(found).toContain('button-name');
});

test('the sidebar toggle is a button that works from the keyboard', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('ch03-send.html');
    const toggle = page.locator('#mdbook-sidebar-toggle');
    await expect(toggle).toHaveJSProperty('tagName', 'BUTTON');
    const expanded = await toggle.getAttribute('aria-expanded');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle).not.toHaveAttribute('aria-expanded', expanded);
    const visible = await page.evaluate(() => document.documentElement.classList.contains('sidebar-visible'));
    expect(visible).toBe(expanded !== 'true');
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-expanded', expanded);
});

test('a code block wider than the page can be focused and scrolled with the keyboard', async ({ page }) => {
    await page.setViewportSize({ width: 420, height: 800 });
    await page.goto('ch10-example.html');
    const scrollers = await page.$$eval('main pre, main pre > code', els => els
        .filter(e => e.scrollWidth > e.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(e).overflowX))
        .map(e => e.getAttribute('tabindex')));
    expect(scrollers.length, 'ch10 at 420 px has wide code').toBeGreaterThan(0);
    expect(scrollers.every(t => t === '0'), `tabindex of the wide blocks: ${scrollers}`).toBe(true);
});

test('search results and Run output are announced (aria-live)', async ({ page }) => {
    await page.goto('introduction.html');
    await expect(page.locator('#mdbook-searchresults-header')).toHaveAttribute('aria-live', 'polite');
    await page.route('https://play.rust-lang.org/execute', route => route.abort());
    await page.goto('ch03-send.html');
    const pre = page.locator('pre:has(.play-button)').first();
    await pre.hover();
    await pre.locator('.play-button').click();
    await expect(page.locator('.run-output').first()).toHaveAttribute('aria-live', 'polite');
});

test('keyboard focus is visible', async ({ page }) => {
    await page.goto('introduction.html');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return { tag: document.activeElement.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    expect(outline.style, `focused ${outline.tag}`).not.toBe('none');
    expect(outline.width).toBeGreaterThan(0);
});

test('no deprecated API on the page (the unload handler of book.js is ignored)', async ({ page }) => {
    // Chromium reports an unload handler as a DeprecationIssue (it keeps a
    // page out of the back/forward cache); stock mdBook pages have one.
    // Playwright disables that cache, so the issue is what is checked.
    const cdp = await page.context().newCDPSession(page);
    const issues = [];
    cdp.on('Audits.issueAdded', e => e.issue.code === 'DeprecationIssue' && issues.push(JSON.stringify(e.issue.details)));
    await cdp.send('Audits.enable');
    await page.goto('ch03-send.html');
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => typeof window.hljs)).toBe('object'); // book.js's scripts ran
    expect(await page.evaluate(() => window.onunload)).toBeNull();
    expect(issues).toEqual([]);
});
