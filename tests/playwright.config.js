// Browser tests of the built book. `cargo xtask test` builds the book,
// serves book/ on a free local port and runs these with BOOK_URL set; see
// docs/browser-tests.md for running them by hand.
const { defineConfig } = require('@playwright/test');

if (!process.env.BOOK_URL) {
    throw new Error('BOOK_URL is not set: run the browser tests with `cargo xtask test` '
        + '(or `cargo xtask browser-tests`), which serve the built book');
}

module.exports = defineConfig({
    testDir: '.',
    testMatch: '*.spec.js',
    outputDir: 'test-results',
    // The Run test waits 8 s for a delayed reply; nothing else is slow.
    timeout: 60_000,
    // A bound for the whole run, far above a normal one, so that a hung
    // browser cannot hold CI for long.
    globalTimeout: 30 * 60_000,
    // Two workers for two CPUs, and tests rather than whole files spread
    // over them: a11y.spec.js alone holds a test per page.
    workers: 2,
    fullyParallel: true,
    retries: 0,
    forbidOnly: true,
    reporter: [['list']],
    use: {
        baseURL: process.env.BOOK_URL,
        browserName: 'chromium',
        viewport: { width: 1280, height: 900 },
        launchOptions: {
            // Debian's Chromium; Playwright downloads no browser here
            // (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
            executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
            // Without the background flags Chromium keeps trying to reach
            // Google services, which a closed network refuses.
            args: [
                '--no-sandbox',
                '--disable-gpu',
                '--disable-quic',
                '--no-first-run',
                '--disable-background-networking',
                '--disable-component-update',
                '--disable-sync',
            ],
        },
    },
});
