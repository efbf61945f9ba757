// Offline: the built book opened straight from disk (file://) keeps its
// diagrams, search and navigation, and asks no server for anything.
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { test, expect } = require('@playwright/test');
const book = require('./book');

const fileUrl = page => pathToFileURL(path.join(book.BOOK_DIR, page)).href;

test('from file://: diagrams, search and next/previous chapter work', async ({ page }) => {
    const requests = [];
    const errors = [];
    page.on('request', r => requests.push(r.url()));
    page.on('console', m => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(fileUrl('ch03-send.html'));

    // The diagram is an inline SVG, drawn without any script.
    const svg = page.locator('figure.diagram .diagram-light svg').first();
    await expect(svg).toBeVisible();
    expect((await svg.boundingBox()).height).toBeGreaterThan(50);

    // Search (the index is loaded with a <script>, which file:// allows).
    await page.keyboard.press('s');
    await page.locator('#mdbook-searchbar').fill('事件循环');
    await expect(page.locator('#mdbook-searchresults li').first()).toBeVisible({ timeout: 15_000 });

    // Next chapter with the arrow key, then the sidebar link back.
    await page.keyboard.press('Escape');
    await page.locator('#mdbook-content').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ArrowRight');
    await expect(page).toHaveURL(/ch04-yield-from\.html$/);
    await page.locator('#mdbook-sidebar a[href$="ch03-send.html"]').first().click();
    await expect(page).toHaveURL(/ch03-send\.html$/);
    await expect(page.locator('figure.diagram svg').first()).toBeVisible();

    expect(requests.filter(u => !u.startsWith('file:') && !u.startsWith('data:')), 'requests off disk').toEqual([]);
    expect(errors).toEqual([]);
});
