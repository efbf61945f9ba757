// What the tests know about the book: its pages (the chapter list that
// `cargo xtask build` writes from src/SUMMARY.md, read as mdBook reads it, so
// chapters added later are tested without editing the tests), the built
// files, and a page-load watcher that collects console errors and failed or
// foreign requests.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const ROOT = path.resolve(__dirname, '..');
const BOOK_DIR = process.env.BOOK_DIR || path.join(ROOT, 'book');
const BOOK_URL = process.env.BOOK_URL;
/** Written by `cargo xtask build` (xtask/src/site/book.rs, CHAPTERS_JSON). */
const CHAPTERS_JSON = path.join(ROOT, 'target', 'chapters.json');

/**
 * Every entry of SUMMARY.md in order: {title, file, html, diagrams}; `file`
 * and `html` are null for a draft entry `[title]()` whose chapter is not
 * written yet; `diagrams` holds the source of each mermaid block of the page.
 */
function summary() {
    if (!fs.existsSync(CHAPTERS_JSON)) {
        throw new Error(`${CHAPTERS_JSON} is missing: \`cargo xtask build\` writes it`);
    }
    return JSON.parse(fs.readFileSync(CHAPTERS_JSON, 'utf8'));
}

/** The written pages of SUMMARY.md. */
function pages() {
    return summary().filter(e => e.html);
}

/** The page for a SUMMARY title, or null while that chapter is a draft. */
function pageTitled(title) {
    const entry = summary().find(e => e.title === title);
    if (!entry) {
        throw new Error(`SUMMARY.md has no entry titled “${title}”`);
    }
    return entry.html;
}

function builtHtml(page) {
    return fs.readFileSync(path.join(BOOK_DIR, page), 'utf8');
}

function isBuilt(page) {
    return fs.existsSync(path.join(BOOK_DIR, page));
}

/**
 * Whether the built page contains a diagram (read from the file): inline
 * SVGs rendered at build time, or a `<pre class="mermaid">` whose SVGs were
 * never rendered (`cargo xtask diagrams`), which the browser draws.
 */
function hasDiagram(page) {
    return /<figure class="diagram"|<pre class="mermaid">/.test(builtHtml(page));
}

/** Whether the page has a diagram without build-time SVGs. */
function hasUnrenderedDiagram(page) {
    return /<pre class="mermaid">/.test(builtHtml(page));
}

/** The search index mdBook wrote: {doc_urls, index: {documentStore}}. */
function searchIndex() {
    const file = fs.readdirSync(BOOK_DIR).find(f => /^searchindex.*\.js$/.test(f));
    const window = { search: {} };
    vm.runInNewContext(fs.readFileSync(path.join(BOOK_DIR, file), 'utf8'), { window });
    return window.search;
}

/**
 * Pages whose indexed text contains every whitespace-separated word of
 * `query` (case-insensitive), computed here independently of the page's
 * script: what a search for `query` must list.
 */
function pagesContaining(query) {
    const index = searchIndex();
    const words = query.toLowerCase().split(/\s+/).filter(w => w);
    const text = new Map();
    for (const [ref, doc] of Object.entries(index.index.documentStore.docs)) {
        const page = index.doc_urls[ref].split('#')[0];
        text.set(page, `${text.get(page) || ''}\n${doc.title}\n${doc.body}`.toLowerCase());
    }
    return new Set([...text].filter(([, t]) => words.every(w => t.includes(w))).map(([p]) => p));
}

/**
 * Records what goes wrong while a page is open: console errors, uncaught
 * exceptions, failed requests, HTTP errors and requests to any host other
 * than the book's own. `problems()` lists them, one line each.
 */
function watch(page) {
    const seen = { errors: [], requests: [] };
    const own = new URL(BOOK_URL).origin;
    page.on('console', msg => {
        if (msg.type() === 'error') {
            seen.errors.push(`console error: ${msg.text()}`);
        }
    });
    page.on('pageerror', err => seen.errors.push(`uncaught: ${err.message}`));
    page.on('requestfailed', req => {
        seen.errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
    });
    page.on('response', res => {
        if (res.status() >= 400) {
            seen.errors.push(`HTTP ${res.status()}: ${res.url()}`);
        }
    });
    page.on('request', req => {
        seen.requests.push(req.url());
        const url = new URL(req.url());
        if (url.protocol !== 'data:' && url.origin !== own && url.protocol !== 'file:') {
            seen.errors.push(`request to another host: ${req.url()}`);
        }
    });
    return {
        problems: () => seen.errors.slice(),
        requests: () => seen.requests.slice(),
    };
}

module.exports = {
    ROOT, BOOK_DIR, BOOK_URL, summary, pages, pageTitled, builtHtml, isBuilt,
    hasDiagram, hasUnrenderedDiagram, searchIndex, pagesContaining, watch,
};
