// Run on Rust code blocks: the request sent to the Playground, a reply that
// takes 8 s, a compile error, an unreachable Playground, and blocks that
// cannot run there. The Playground is never really contacted: requests to
// it are intercepted.
const fs = require('node:fs');
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const book = require('./book');

const EXECUTE = 'https://play.rust-lang.org/execute';
const LISTING = path.join(book.ROOT, 'listings', 'ch03', 'src', 'bin', 'jumping_range.rs');
const REPLY = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'execute-jumping_range.json'), 'utf8'));

/** The listing as the reader runs it: the whole file minus ANCHOR lines. */
function fullListing() {
    return fs.readFileSync(LISTING, 'utf8')
        .split('\n')
        .filter(line => !/^\s*\/\/ ANCHOR(_END)?:/.test(line))
        .join('\n')
        .trim();
}

async function firstRunButton(page) {
    await page.goto('ch03-send.html');
    const button = page.locator('pre .play-button').first();
    // mdBook shows a block's buttons while the pointer is over it.
    await page.locator('pre:has(.play-button)').first().hover();
    await expect(button).toBeVisible();
    return button;
}

test('Run sends the whole listing with edition 2024 and waits for a slow reply', async ({ page }) => {
    test.setTimeout(60_000);
    let request = null;
    await page.route(EXECUTE, async route => {
        request = route.request().postDataJSON();
        await new Promise(r => setTimeout(r, 8_000));
        await route.fulfill({ contentType: 'application/json', body: JSON.stringify(REPLY) });
    });
    const button = await firstRunButton(page);
    await button.click();
    const output = page.locator('.run-output').first();
    await expect(output).toContainText('运行中…');
    await expect(output.locator('.run-stdout pre')).toHaveText(REPLY.stdout, { timeout: 20_000 });
    await expect(output).toContainText('运行完成');
    // cargo's progress lines are not shown as the program's stderr.
    expect(await output.locator('.run-stderr').count()).toBe(0);

    expect(request.edition).toBe('2024');
    expect(request.channel).toBe('stable');
    expect(request.crateType).toBe('bin');
    expect(request.code.trim()).toBe(fullListing());
});

test('a compile error is shown as such, escaped', async ({ page }) => {
    await page.route(EXECUTE, route => route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
            success: false,
            exitDetail: '',
            stdout: '',
            stderr: '   Compiling playground v0.0.1 (/playground)\n'
                + 'error[E0308]: mismatched types\n --> src/main.rs:3:22\n'
                + '  |\n3 |     let x: Vec<u8> = "<b>bold</b>";\n'
                + '  |                      ^^^^^^^^^^^^^ expected `Vec<u8>`, found `&str`\n\n'
                + 'error: could not compile `playground` (bin "playground") due to 1 previous error\n',
        }),
    }));
    const button = await firstRunButton(page);
    await button.click();
    const output = page.locator('.run-output').first();
    await expect(output).toContainText('编译失败');
    await expect(output.locator('.run-stderr pre')).toContainText('error[E0308]: mismatched types');
    await expect(output.locator('.run-stderr pre')).toContainText('"<b>bold</b>"');
    expect(await output.locator('b').count()).toBe(0);
});

test('output with markup is shown as text, stdout and stderr apart', async ({ page }) => {
    await page.route(EXECUTE, route => route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({
            success: false,
            exitDetail: 'Exited with status 101',
            stdout: '<img src=x onerror="window.pwned = 1">\n',
            stderr: '    Finished `dev` profile\n     Running `target/debug/playground`\n'
                + "thread 'main' panicked at src/main.rs:2:5:\n<script>boom</script>\n",
        }),
    }));
    const button = await firstRunButton(page);
    await button.click();
    const output = page.locator('.run-output').first();
    await expect(output.locator('.run-stdout pre')).toHaveText('<img src=x onerror="window.pwned = 1">\n');
    await expect(output.locator('.run-stderr pre')).toContainText('<script>boom</script>');
    await expect(output).toContainText('程序异常退出（Exited with status 101）');
    expect(await output.locator('img, script').count()).toBe(0);
    expect(await page.evaluate(() => window.pwned)).toBeUndefined();
});

test('a run the Playground cut short at its own limit says so', async ({ page }) => {
    // What rust-playground answers when its 10 s job timeout fires
    // (ui/src/server_axum.rs: Error::Timeout as HTTP 500 with `error`).
    await page.route(EXECUTE, route => route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'The operation timed out: deadline has elapsed' }),
    }));
    const button = await firstRunButton(page);
    await button.click();
    const output = page.locator('.run-output').first();
    await expect(output).toContainText('10 秒上限');
    await expect(output).toContainText('程序被截断了');
    await expect(output).not.toContainText('HTTP 500');
    await expect(button).toBeEnabled();
});

test('a block whose program runs too long for the Playground gets the note, not Run', async ({ page }) => {
    // ch14's eat_play_blocking was recorded running about 8 s: with
    // compiling, more than the Playground's 10 s allow.
    await page.goto('ch14-gevent.html');
    const block = page.locator('pre:has(code.long-run-8)');
    await expect(block).toHaveCount(1);
    expect(await block.locator('.play-button').count()).toBe(0);
    const note = page.locator('pre:has(code.long-run-8) + .run-locally');
    await expect(note).toContainText('约 8 秒');
    await expect(note).toContainText('10 秒的上限');
});

test('an unreachable Playground gives a clear message', async ({ page }) => {
    await page.route(EXECUTE, route => route.abort('internetdisconnected'));
    const button = await firstRunButton(page);
    await button.click();
    await expect(page.locator('.run-output').first()).toContainText('无法连接 Rust Playground');
    await expect(button).toBeEnabled();
});

// One test per page, so that the time limit does not shrink per page as
// the book grows.
for (const entry of book.pages()) {
    test(`${entry.html}: every runnable Rust block has Run; the others have a note or nothing`, async ({ page }) => {
        await page.goto(entry.html);
        const blocks = await page.$$eval('pre > code', codes => codes
            .filter(c => /language-rust|editable/.test(c.className))
            .map(c => ({
                cls: c.className,
                run: c.parentElement.querySelector('.play-button') !== null,
                note: c.parentElement.nextElementSibling?.classList.contains('run-locally') ?? false,
                text: c.textContent,
            })));
        for (const [i, b] of blocks.entries()) {
            const where = `${entry.html}, Rust block ${i + 1}`;
            const foreign = /\b(futures_lite|smol|async_std|ch\d\d)::/.test(b.text);
            if (/\b(ignore|compile_fail|no_run)\b/.test(b.cls)) {
                expect(b.run, where).toBe(false);
            } else if (/\bnoplayground\b|\blong-run-\d+\b/.test(b.cls) || foreign) {
                expect(b.run, `${where} cannot run on the Playground`).toBe(false);
                expect(b.note, `${where} needs a note on running it locally`).toBe(true);
            } else {
                expect(b.run, `${where} should have Run`).toBe(true);
            }
        }
    });
}

test('blocks using futures-lite or marked noplayground get a note, not Run', async ({ page }) => {
    // The real ch03 page with its two listing blocks swapped for a
    // futures-lite program and a `noplayground` block.
    let html = book.builtHtml('ch03-send.html');
    const blocks = [...html.matchAll(/<pre><code class="language-rust[^"]*">[\s\S]*?<\/code><\/pre>/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    html = html.replace(blocks[0][0], '<pre><code class="language-rust">use futures_lite::future;\n\n'
        + 'fn main() {\n    future::block_on(async { println!("hi") });\n}\n</code></pre>');
    html = html.replace(blocks[1][0], '<pre><code class="language-rust noplayground">'
        + 'fn main() {\n    println!("local only");\n}\n</code></pre>');
    await page.route('**/noplayground-fixture.html', route => route.fulfill({ contentType: 'text/html', body: html }));
    await page.goto('noplayground-fixture.html');
    const pres = page.locator('pre:has(> code.language-rust)');
    await expect(pres.nth(0).locator('.play-button')).toHaveCount(0);
    await expect(pres.nth(1).locator('.play-button')).toHaveCount(0);
    const notes = page.locator('p.run-locally');
    await expect(notes).toHaveCount(2);
    await expect(notes.nth(0)).toContainText('futures_lite');
    await expect(notes.nth(0)).toContainText('本地');
    await expect(notes.nth(1)).toContainText('本地');
});

/** Requests the page made for Ace's files. */
const ACE_FILE = /\/(ace|mode-rust|theme-dawn|theme-tomorrow_night)(-[0-9a-f]+)?\.js$/;

test('Ace loads only on “编辑”; Ctrl-Enter and Run send the edited code', async ({ page }) => {
    const requests = [];
    page.on('request', r => requests.push(new URL(r.url()).pathname));
    let request = null;
    await page.route(EXECUTE, route => {
        request = route.request().postDataJSON();
        return route.fulfill({ contentType: 'application/json', body: JSON.stringify(REPLY) });
    });
    const button = await firstRunButton(page);
    await page.waitForLoadState('networkidle');
    expect(requests.filter(p => ACE_FILE.test(p)), 'Ace before editing').toEqual([]);
    expect(await page.evaluate(() => typeof window.ace)).toBe('undefined');

    const pre = page.locator('pre:has(.play-button)').first();
    await pre.locator('.edit-button').click();
    const editor = pre.locator('.ace_editor');
    await expect(editor).toBeVisible();
    expect(requests.filter(p => ACE_FILE.test(p)).length, 'Ace files after editing').toBe(4);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n// edited');
    await page.keyboard.press('Control+Enter');
    await expect(page.locator('.run-output .run-stdout pre').first()).toHaveText(REPLY.stdout);
    expect(request.edition).toBe('2024');
    expect(request.code).toContain('fn jumping_range');
    expect(request.code.trimEnd().endsWith('// edited')).toBe(true);

    request = null;
    await pre.hover();
    await button.click();
    await expect.poll(() => request?.code.trimEnd().endsWith('// edited')).toBe(true);
});

test('an edit survives leaving the page and coming back; “恢复原样” resets it', async ({ page }) => {
    let request = null;
    await page.route(EXECUTE, route => {
        request = route.request().postDataJSON();
        return route.fulfill({ contentType: 'application/json', body: JSON.stringify(REPLY) });
    });
    await firstRunButton(page);
    const pre = () => page.locator('pre:has(.play-button)').first();
    const original = await pre().locator('code').textContent();
    await pre().locator('.edit-button').click();
    await expect(pre().locator('.ace_editor')).toBeVisible();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n// kept');
    await expect(pre().locator('.reset-button')).toBeVisible();

    // Away to the next chapter and back.
    await page.goto('ch04-yield-from.html');
    await page.goto('ch03-send.html');
    await page.waitForLoadState('networkidle');
    const code = pre().locator('code');
    await expect(code).toContainText('// kept');
    expect(await page.evaluate(() => typeof window.ace), 'no Ace to show a saved edit').toBe('undefined');
    await pre().hover();
    const reset = pre().locator('.reset-button');
    await expect(reset).toBeVisible();
    await expect(reset).toHaveText('恢复原样');

    // Run sends the saved edit.
    await pre().locator('.play-button').click();
    await expect.poll(() => request?.code.trimEnd().endsWith('// kept')).toBe(true);

    await reset.click();
    await expect(code).not.toContainText('// kept');
    expect((await code.textContent()).trim()).toBe(original.trim());
    await expect(reset).toBeHidden();
    await page.reload();
    await expect(pre().locator('code')).not.toContainText('// kept');
});
