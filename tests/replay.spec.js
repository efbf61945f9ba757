// The replay of timed outputs (theme/replay.js), on ch10's 22-line run,
// with Playwright's fake clock: lines appear at their recorded times, pause
// stops the clock, reduced motion lists the times instead of animating,
// and it works from file:// with no request outside the book.
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { test, expect } = require('@playwright/test');
const book = require('./book');

const PAGE = 'ch10-example.html';

/** Which of the page's timed outputs is the Rust run: ch10 also shows the
 *  Python original's run, above it. Boxes and blocks come in the same order. */
async function rustRun(page) {
    const all = await page.locator('script.timed-output').allTextContents();
    const index = all.findIndex(t => JSON.parse(t).command.startsWith('$ cargo run'));
    expect(index, 'a timed output of a Rust program').toBeGreaterThanOrEqual(0);
    return index;
}

/** The recorded times, read from the page the way the replay reads them. */
async function recorded(page) {
    const text = await page.locator('script.timed-output').nth(await rustRun(page)).textContent();
    return JSON.parse(text);
}

/** Output lines the Rust block shows now (the command line not counted). */
async function shownLines(page) {
    const text = await page.locator('pre.replay-target code').nth(await rustRun(page)).textContent();
    return text.split('\n').slice(1).filter(l => l !== '');
}

/** The replay box of the Rust run. */
async function rustBox(page) {
    return page.locator('.replay').nth(await rustRun(page));
}

const due = (data, t) => data.lines.filter(l => l.t <= t).length;

/** Opens the page with a fake clock that moves only when the test says. */
async function openPaused(page) {
    await page.clock.install();
    await page.goto(PAGE);
    const now = await page.evaluate(() => Date.now());
    await page.clock.pauseAt(now + 1000);
}

test('ch10: replay shows each line at its recorded time', async ({ page }) => {
    await openPaused(page);
    const data = await recorded(page);
    expect(data.lines).toHaveLength(22);
    expect(data.recorded, 'the date and machine of the recording').toMatch(/UTC/);
    const box = await rustBox(page);
    await expect(box).toContainText('这是一次真实运行的录制');
    await expect(box).toContainText(data.recorded);
    // Before pressing: the block is the full static transcript.
    expect(await shownLines(page)).toHaveLength(22);

    const play = box.getByRole('button', { name: '▶ 按真实节奏回放' });
    await play.focus();
    await page.keyboard.press('Enter');
    await expect(box.locator('[aria-live="polite"]')).toHaveText(/正在/);
    expect(await shownLines(page)).toHaveLength(0);

    const seen = [];
    let now = 0;
    for (const t of [0.5, 1.5, 2.5]) {
        await page.clock.runFor(Math.round((t - now) * 1000));
        now = t;
        const lines = await shownLines(page);
        expect(lines, `lines shown at t = ${t} s`).toHaveLength(due(data, t));
        expect(lines).toEqual(data.lines.slice(0, lines.length).map(l => l.text));
        await expect(box.locator('.replay-clock')).toHaveText(`t = ${t.toFixed(1)} s`);
        seen.push(lines.length);
    }
    // The recorded schedule: A's first lines at 0 s, C starts at 1 s, B at 2 s.
    expect(seen[0]).toBeLessThan(seen[1]);
    expect(seen[1]).toBeLessThan(seen[2]);
    expect(seen[2]).toBeLessThan(22);

    await page.clock.runFor(4000);
    expect(await shownLines(page)).toHaveLength(22);
    await expect(box.locator('[aria-live="polite"]')).toHaveText(/回放结束：22 行/);
});

test('ch10: pause stops the clock, continue resumes it', async ({ page }) => {
    await openPaused(page);
    const data = await recorded(page);
    const box = await rustBox(page);
    await box.getByRole('button', { name: '▶ 按真实节奏回放' }).click();
    await page.clock.runFor(1500);
    const pause = box.getByRole('button', { name: '⏸ 暂停' });
    await pause.click();
    await expect(box.locator('[aria-live="polite"]')).toHaveText('已暂停于 t = 1.5 s。');
    const atPause = await shownLines(page);
    await page.clock.runFor(3000);
    expect(await shownLines(page)).toEqual(atPause);
    await expect(box.locator('.replay-clock')).toHaveText('t = 1.5 s');
    await box.getByRole('button', { name: '▶ 继续' }).click();
    await page.clock.runFor(1000);
    expect(await shownLines(page)).toHaveLength(due(data, 2.5));
    await expect(box.locator('.replay-clock')).toHaveText('t = 2.5 s');
});

test('ch10: with reduced motion the replay lists the times instead', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await openPaused(page);
    const data = await recorded(page);
    const box = await rustBox(page);
    await box.getByRole('button', { name: '▶ 按真实节奏回放' }).click();
    const rows = page.locator('table.replay-timeline tbody tr');
    await expect(rows).toHaveCount(22);
    await expect(rows.nth(5)).toContainText(`t = ${data.lines[5].t.toFixed(1)} s`);
    await expect(rows.nth(5)).toContainText(data.lines[5].text);
    // Nothing animates: the block keeps all its lines as time passes.
    expect(await shownLines(page)).toHaveLength(22);
    await page.clock.runFor(3000);
    expect(await shownLines(page)).toHaveLength(22);
    await expect(box.locator('[aria-live="polite"]')).toHaveText(/不播放动画/);
});

test('ch10: the replay and the timeline work from file:// without requests', async ({ page }) => {
    const requests = [];
    page.on('request', r => requests.push(r.url()));
    const url = pathToFileURL(path.join(book.BOOK_DIR, PAGE)).href;
    await page.goto(url);
    // Two buttons per replay: the Python original's run and the Rust run.
    await expect(page.locator('.replay button')).toHaveCount(4);
    await expect(page.locator('svg.timeline')).toHaveCount(1);
    // One dot per output line: the Rust run's 22 and, under it, the Python
    // original's 22.
    await expect(page.locator('svg.timeline circle')).toHaveCount(44);
    await page.locator('.replay-play').first().click();
    await expect(page.locator('.replay-clock').first()).not.toHaveText('t = 0.0 s');
    const foreign = requests.filter(u => !u.startsWith('file://'));
    expect(foreign, 'requests outside the book').toEqual([]);
});
