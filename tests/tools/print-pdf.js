// Prints the book's print.html to PDF in Chromium. Called by
// `cargo xtask pdf`, which serves book/ and passes its URL:
//
//   node tools/print-pdf.js <print.html URL> <out.pdf>
//
// A4, the light theme (diagrams are the light inline SVGs, so they stay
// vectors), page numbers in the footer, an outline (bookmarks) from the
// headings and a tagged PDF; Chinese text uses the installed Noto CJK
// fonts, which Chromium embeds.
const { chromium } = require('@playwright/test');

async function main() {
    const [url, out] = process.argv.slice(2);
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
        const page = await browser.newPage();
        await page.addInitScript(() => {
            localStorage.setItem('mdbook-theme', 'light');
            // print.html calls window.print() once loaded; here the PDF is
            // made by page.pdf() instead.
            window.print = () => {};
        });
        await page.goto(url, { waitUntil: 'networkidle' });
        await page.emulateMedia({ media: 'print' });
        await page.evaluate(() => document.fonts.ready);
        // Folded sections (the deep-dive boxes, exercise solutions) are
        // printed open: paper cannot be unfolded.
        await page.evaluate(() => document.querySelectorAll('details').forEach(d => { d.open = true; }));
        // The book's scripts keep rewriting the long page for a while after
        // it loads (highlighting, replays, questions). Printed at once, the
        // PDF came out cut short (319 to 444 of its ~460 pages) or without
        // the body of an opened answer; 5 s of waiting, then a page height
        // unchanged for 1.5 s (at most 2 min), gave the whole book.
        await page.waitForTimeout(5000);
        let last = -1;
        let steady = 0;
        for (let i = 0; i < 240 && steady < 3; i++) {
            await page.waitForTimeout(500);
            const height = await page.evaluate(() => document.body.scrollHeight);
            steady = height === last ? steady + 1 : 0;
            last = height;
        }
        // Open them again: a few (ch25's first answer) were closed again by
        // the time the page settled, so their body went missing.
        const reopened = await page.evaluate(() => {
            const closed = [...document.querySelectorAll('details:not([open])')];
            closed.forEach(d => { d.open = true; });
            return closed.length;
        });
        if (reopened) console.log(`opened ${reopened} folded section(s) again before printing`);
        await page.pdf({
            path: out,
            format: 'A4',
            margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' },
            printBackground: true,
            displayHeaderFooter: true,
            headerTemplate: '<span></span>',
            footerTemplate: '<div style="width:100%;font-size:9px;text-align:center;color:#555">'
                + '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
            outline: true,
            tagged: true,
        });
    } finally {
        await browser.close();
    }
    console.log(`wrote ${out}`);
}

main().catch(e => {
    console.error(e);
    process.exit(1);
});
