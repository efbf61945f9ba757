// Renders mermaid diagrams to SVG files in Chromium, with the book's own
// mermaid (src/assets/mermaid.min.js). Called by `cargo xtask diagrams`:
//
//   node tools/render-diagrams.js <jobs.json> <out-dir>
//
// jobs.json is [{key, source, where}]; for each job it writes
// <out-dir>/<key>-light.svg (mermaid theme "default") and <key>-dark.svg
// (theme "dark"). A diagram with a syntax error fails the run, naming its
// chapter and line (`where`).
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('@playwright/test');

const ROOT = path.resolve(__dirname, '..', '..');
const MERMAID = path.join(ROOT, 'src', 'assets', 'mermaid.min.js');

/**
 * Prefixes every id inside the SVG (but the root's, which its CSS uses)
 * with the root id: mermaid names markers and actors `arrowhead`,
 * `actor0` and so on in every diagram, and a page holds many diagrams, each
 * twice (light and dark). A reference to a duplicated id would resolve to
 * the first one, possibly inside the hidden variant.
 */
function uniqueIds(svg, rootId) {
    const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map(m => m[1]));
    ids.delete(rootId);
    const esc = s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const id of ids) {
        const to = `${rootId}-${id}`;
        svg = svg
            .replace(new RegExp(`(\\sid=")${esc(id)}"`, 'g'), `$1${to}"`)
            .replace(new RegExp(`url\\(#${esc(id)}\\)`, 'g'), `url(#${to})`)
            .replace(new RegExp(`(href=")#${esc(id)}"`, 'g'), `$1#${to}"`);
    }
    return svg;
}

// The dark theme's edge labels are #ccc on #585858 (4.4:1, below the 4.5:1
// that axe's color-contrast asks for); a darker label background gives 6:1.
// theme/diagrams.js uses the same values.
const THEME_VARIABLES = { default: {}, dark: { edgeLabelBackground: '#404040' } };

async function main() {
    const [jobsFile, outDir] = process.argv.slice(2);
    const jobs = JSON.parse(fs.readFileSync(jobsFile, 'utf8'));
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const failures = [];
    try {
        const page = await browser.newPage();
        // The page's own fonts are what the book uses around the SVG; the
        // diagrams' text is measured with them.
        await page.setContent('<!DOCTYPE html><html lang="zh-CN"><body></body></html>');
        await page.addScriptTag({ path: MERMAID });
        for (const job of jobs) {
            for (const [variant, theme] of [['light', 'default'], ['dark', 'dark']]) {
                const id = `diagram-${job.key}-${variant}`;
                const result = await page.evaluate(async ({ id, theme, source, themeVariables }) => {
                    window.mermaid.initialize({ startOnLoad: false, theme, securityLevel: 'strict', themeVariables });
                    try {
                        const { svg } = await window.mermaid.render(id, source);
                        return { svg };
                    } catch (e) {
                        document.getElementById('d' + id)?.remove();
                        return { error: String(e && e.message || e) };
                    }
                }, { id, theme, source: job.source, themeVariables: THEME_VARIABLES[theme] });
                if (result.error) {
                    failures.push(`${job.where}: mermaid cannot draw this diagram: ${result.error}`);
                    break;
                }
                const svg = uniqueIds(result.svg, id).replace(/\n\s*\n/g, '\n');
                fs.writeFileSync(path.join(outDir, `${job.key}-${variant}.svg`), svg + '\n');
            }
        }
    } finally {
        await browser.close();
    }
    if (failures.length) {
        console.error(failures.join('\n'));
        process.exit(1);
    }
    console.log(`rendered ${jobs.length} diagram(s) into ${outDir}`);
}

main().catch(e => {
    console.error(e);
    process.exit(1);
});
