// Runs Lighthouse on each URL given and prints one line per page: the
// performance, best-practices and accessibility scores, the bytes and the
// requests. Called by `cargo xtask audit`:
//
//   node tools/audit.js <lighthouse cli/index.js> <out dir> <label=url>...
//
// Lighthouse's mobile default configuration, Chromium from $CHROME_PATH.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const [cli, outDir, ...pages] = process.argv.slice(2);
const FLAGS = '--headless --no-sandbox --disable-gpu --disable-quic --no-first-run '
    + '--disable-background-networking --disable-component-update --disable-sync';

const rows = [];
for (const arg of pages) {
    const [label, url] = arg.split(/=(.*)/s);
    const out = path.join(outDir, `${label.replace(/[^\w.-]+/g, '_')}.json`);
    console.log(`$ lighthouse ${url}`);
    let ok = false;
    // On a loaded machine Lighthouse sometimes loses its DevTools
    // connection; one retry, then the page is reported as failed.
    for (let attempt = 1; attempt <= 2 && !ok; attempt++) {
        try {
            execFileSync(process.execPath, [cli, url, '--output=json', `--output-path=${out}`,
                '--only-categories=performance,best-practices,accessibility', '--quiet',
                `--chrome-flags=${FLAGS}`], { stdio: 'inherit' });
            ok = true;
        } catch (e) {
            console.error(`lighthouse failed on ${url} (attempt ${attempt}): ${e.message.split('\n')[0]}`);
        }
    }
    if (!ok) {
        rows.push({ label, failed: true });
        continue;
    }
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    const score = id => Math.round((report.categories[id]?.score ?? NaN) * 100);
    const requests = report.audits['network-requests']?.details?.items || [];
    const bytes = report.audits['total-byte-weight']?.numericValue ?? NaN;
    rows.push({
        label,
        performance: score('performance'),
        bestPractices: score('best-practices'),
        accessibility: score('accessibility'),
        kib: Math.round(bytes / 1024),
        requests: requests.length,
    });
}
console.log('\npage                               perf  best-pr  a11y   KiB  requests');
for (const r of rows) {
    if (r.failed) {
        console.log(`${r.label.padEnd(34)} Lighthouse failed`);
        continue;
    }
    console.log(`${r.label.padEnd(34)} ${String(r.performance).padStart(4)} ${String(r.bestPractices).padStart(8)} `
        + `${String(r.accessibility).padStart(5)} ${String(r.kib).padStart(5)} ${String(r.requests).padStart(9)}`);
}
if (rows.some(r => r.failed)) {
    process.exit(1);
}
