// Search for a Chinese book, in place of mdBook's searcher.js.
//
// mdBook's index splits text on whitespace only, so it holds no Chinese
// words at all and a search for 事件循环 finds nothing. The same
// searchindex.js also stores the plain text of every section, though, and a
// whole book of text is small enough to scan directly: every query is a
// case-insensitive substring search over that text, which finds Chinese
// words, English identifiers (`SleepingLoop`) and mixed phrases (`yield
// from`) alike, with no word segmentation to get wrong.
//
// It drives mdBook's own search bar (#mdbook-searchbar and friends), keeps
// its keyboard use (S or / to open, arrows, Enter, Escape) and its
// `?search=` and `?highlight=` URL parameters (marking the words itself, as
// mark.js did). theme/index.hbs does not load the stock searcher, so nothing
// else listens to the bar.
(function () {
    'use strict';

    const byId = id => document.getElementById(id);
    const wrapper = byId('mdbook-search-wrapper');
    const form = byId('mdbook-searchbar-outer');
    const bar = byId('mdbook-searchbar');
    const resultsOuter = byId('mdbook-searchresults-outer');
    const header = byId('mdbook-searchresults-header');
    const resultList = byId('mdbook-searchresults');
    const toggle = byId('mdbook-search-toggle');
    const content = byId('mdbook-content');
    if (!wrapper || !bar || !resultList || !toggle) {
        return; // search is disabled in book.toml
    }

    const SEARCH_PARAM = 'search';
    const MARK_PARAM = 'highlight';
    const MAX_RESULTS = 30;
    // Characters of context shown before and after the first match.
    const TEASER_BEFORE = 30;
    const TEASER_AFTER = 90;

    // book.js asks this before treating a key press as a page shortcut.
    window.search = window.search || {};
    window.search.hasFocus = () => document.activeElement === bar;

    bar.placeholder = '搜索本书…（中文、英文都可以）';

    /** Pages in book order, each with its sections; null until loaded. */
    let pages = null;
    let lastQuery = null;

    // ---- the index ---------------------------------------------------

    /**
     * Groups the stored section documents of searchindex.js by page.
     * A section is {url, title, body} plus lower-cased copies to search.
     */
    function buildPages(data) {
        const docs = data.index.documentStore.docs;
        const byPage = new Map();
        const refs = Object.keys(docs).sort((a, b) => a - b);
        for (const ref of refs) {
            const doc = docs[ref];
            const url = data.doc_urls[ref];
            const [path, anchor = ''] = url.split('#');
            let page = byPage.get(path);
            if (!page) {
                // Breadcrumbs are "parents » chapter » heading"; the first
                // section of a page carries the chapter's own name.
                const crumbs = (doc.breadcrumbs || '').split(' » ');
                const title = crumbs.length >= 2 && crumbs[crumbs.length - 1] === doc.title
                    ? crumbs[crumbs.length - 2]
                    : crumbs[crumbs.length - 1] || doc.title;
                page = {path, title, titleLower: title.toLowerCase(), sections: []};
                byPage.set(path, page);
            }
            page.sections.push({
                anchor,
                title: doc.title || '',
                body: doc.body || '',
                titleLower: lowerSameLength(doc.title || ''),
                bodyLower: lowerSameLength(doc.body || ''),
            });
        }
        return Array.from(byPage.values());
    }

    /**
     * Lower-cases text if that keeps every offset where it was (true for
     * all CJK and nearly all other text), so a match found in the copy can
     * be cut out of the original; otherwise searches the text as it is.
     */
    function lowerSameLength(text) {
        const lower = text.toLowerCase();
        return lower.length === text.length ? lower : text;
    }

    const waiting = [];

    /** Calls `then` once the index is loaded, loading it on first use. */
    function loadIndex(then) {
        if (!pages && window.search.index && window.search.doc_urls) {
            pages = buildPages(window.search);
        }
        if (pages) {
            then();
            return;
        }
        waiting.push(then);
        if (document.getElementById('mdbook-search-index')) {
            return; // already on its way
        }
        form.classList.add('searching');
        const script = document.createElement('script');
        // Set by mdBook's page template. A script tag also works when the
        // book is opened from file://, where fetch() is not allowed.
        script.src = window.path_to_searchindex_js;
        script.id = 'mdbook-search-index';
        script.onload = () => {
            form.classList.remove('searching');
            pages = buildPages(window.search);
            for (const callback of waiting.splice(0)) {
                callback();
            }
        };
        script.onerror = () => {
            form.classList.remove('searching');
            script.remove();
            waiting.length = 0;
            header.textContent = '搜索索引加载失败，请刷新页面再试。';
            showResults(true);
        };
        document.head.append(script);
    }

    // ---- searching ---------------------------------------------------

    /** Splits a query into lower-case terms; the whole query is the phrase. */
    function parseQuery(query) {
        const phrase = query.trim().replace(/\s+/g, ' ').toLowerCase();
        const terms = Array.from(new Set(phrase.split(' ').filter(t => t)));
        return {phrase, terms};
    }

    function countOf(haystack, needle) {
        let count = 0;
        for (let at = haystack.indexOf(needle); at !== -1;
            at = haystack.indexOf(needle, at + needle.length)) {
            count++;
        }
        return count;
    }

    /** Occurrences counted per page and term stop adding up here. */
    const COUNT_CAP = 100;

    /**
     * Every page that contains all terms, best first. Pages whose title
     * contains the query come first (one that starts with it and is mostly
     * the query ranks higher). The rest are ranked by how often the terms
     * and the whole phrase occur, plus a little for a section heading that
     * contains the query: the chapter that keeps talking about
     * `SleepingLoop` beats one that names it once in a heading. Ties keep
     * book order.
     */
    function search(query) {
        const {phrase, terms} = parseQuery(query);
        if (!pages || terms.length === 0) {
            return [];
        }
        const results = [];
        pages.forEach((page, order) => {
            const counts = new Map(terms.map(t => [t, 0]));
            let phraseCount = 0;
            let headingHits = 0;
            let best = null;
            let bestScore = -1;
            for (const section of page.sections) {
                const text = section.titleLower + '\n' + section.bodyLower;
                let sectionScore = 0;
                for (const term of terms) {
                    const n = countOf(text, term);
                    counts.set(term, counts.get(term) + n);
                    sectionScore += n;
                }
                const p = terms.length > 1 ? countOf(text, phrase) : 0;
                const inHeading = section.titleLower.includes(phrase);
                phraseCount += p;
                headingHits += inHeading ? 1 : 0;
                sectionScore += 3 * p + (inHeading ? 5 : 0);
                if (sectionScore > bestScore) {
                    bestScore = sectionScore;
                    best = section;
                }
            }
            if ([...counts.values()].some(n => n === 0)) {
                return;
            }
            let score = 3 * Math.min(phraseCount, COUNT_CAP) + 5 * Math.min(headingHits, 3);
            for (const n of counts.values()) {
                score += Math.min(n, COUNT_CAP);
            }
            // Title matches form their own tier, far above anything the
            // text can add: "yield from 与 .await" before "从 yield from 到
            // await", and both before any chapter that only mentions it.
            if (page.titleLower.includes(phrase)) {
                score += 10000 + 5000 * phrase.length / page.titleLower.length
                    + (page.titleLower.startsWith(phrase) ? 2000 : 0);
            } else if (terms.every(t => page.titleLower.includes(t))) {
                score += 5000;
            }
            results.push({page, section: best, score, order});
        });
        results.sort((a, b) => b.score - a.score || a.order - b.order);
        return results;
    }

    // ---- showing results ---------------------------------------------

    function showResults(yes) {
        resultsOuter.classList.toggle('hidden', !yes);
    }

    function showSearch(yes) {
        wrapper.classList.toggle('hidden', !yes);
        toggle.setAttribute('aria-expanded', yes ? 'true' : 'false');
        if (yes) {
            loadIndex(() => runQuery(bar.value));
        } else {
            for (const li of resultList.children) {
                li.classList.remove('focus');
            }
        }
    }

    /**
     * Appends `text` to `parent` as text nodes, with every occurrence of a
     * term wrapped in <em>. Only text nodes are created, so page text and
     * query are shown as they are and never parsed as HTML.
     */
    function appendMarked(parent, text, lower, terms) {
        const sorted = terms.slice().sort((a, b) => b.length - a.length);
        let at = 0;
        while (at < text.length) {
            let next = -1;
            let len = 0;
            for (const term of sorted) {
                const i = lower.indexOf(term, at);
                if (i !== -1 && (next === -1 || i < next)) {
                    next = i;
                    len = term.length;
                }
            }
            if (next === -1) {
                break;
            }
            parent.append(text.slice(at, next));
            const em = document.createElement('em');
            em.textContent = text.slice(next, next + len);
            parent.append(em);
            at = next + len;
        }
        parent.append(text.slice(at));
    }

    /** The stretch of a section around its first match, with matches marked. */
    function teaser(section, phrase, terms) {
        const body = section.body;
        const lower = section.bodyLower;
        let hit = lower.indexOf(phrase);
        if (hit === -1) {
            const hits = terms.map(t => lower.indexOf(t)).filter(i => i !== -1);
            hit = hits.length ? Math.min(...hits) : 0;
        }
        const start = Math.max(0, hit - TEASER_BEFORE);
        const end = Math.min(body.length, hit + TEASER_AFTER);
        const span = document.createElement('span');
        span.className = 'teaser';
        if (start > 0) {
            span.append('…');
        }
        appendMarked(span, body.slice(start, end), lower.slice(start, end), terms);
        if (end < body.length) {
            span.append('…');
        }
        return span;
    }

    function resultItem(result, terms, phrase) {
        const {page, section} = result;
        const li = document.createElement('li');
        const a = document.createElement('a');
        const highlight = encodeURIComponent(terms.join(' '));
        a.href = path_to_root + page.path + '?' + MARK_PARAM + '=' + highlight
            + (section.anchor ? '#' + section.anchor : '');
        const label = page.title === section.title || !section.title
            ? page.title
            : page.title + ' » ' + section.title;
        appendMarked(a, label, lowerSameLength(label), terms);
        li.append(a, teaser(section, phrase, terms));
        return li;
    }

    /** Searches and redraws the result list; returns the time it took. */
    function runQuery(raw) {
        const query = raw.trim();
        if (!pages || query === lastQuery) {
            return 0;
        }
        const started = performance.now();
        lastQuery = query;
        resultList.replaceChildren();
        if (query === '') {
            showResults(false);
            return 0;
        }
        const {phrase, terms} = parseQuery(query);
        const results = search(query);
        const shown = results.slice(0, MAX_RESULTS);
        header.textContent = results.length === 0
            ? `没有找到包含“${query}”的章节。`
            : `有 ${results.length} 章包含“${query}”：`;
        for (const result of shown) {
            resultList.append(resultItem(result, terms, phrase));
        }
        showResults(true);
        const took = performance.now() - started;
        window.search.lastSearchMs = took;
        return took;
    }

    // ---- the URL -------------------------------------------------------

    /**
     * Keeps `?search=` in the address bar: the first search of a visit adds
     * a history entry (Back returns to the page), later edits replace it.
     */
    function setSearchParam(query) {
        const url = new URL(window.location.href);
        const first = !url.searchParams.has(SEARCH_PARAM);
        url.searchParams.delete(MARK_PARAM);
        if (query === null) {
            url.searchParams.delete(SEARCH_PARAM);
        } else {
            url.searchParams.set(SEARCH_PARAM, query);
            url.hash = '';
        }
        if (url.href === window.location.href) {
            return;
        }
        if (first && query !== null) {
            history.pushState({}, document.title, url.href);
        } else {
            history.replaceState({}, document.title, url.href);
        }
    }

    /**
     * Wraps every case-insensitive occurrence of `words` in the text under
     * `root` in <mark> (what mark.js did for mdBook's searcher, which this
     * book does not load). SVG text (diagrams), scripts and styles are left
     * alone: a <mark> there would not render.
     */
    function markWords(root, words) {
        const lower = words.map(w => w.toLowerCase());
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
            acceptNode: node => node.parentElement.closest('svg, script, style, mark')
                ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
        });
        const nodes = [];
        while (walker.nextNode()) {
            nodes.push(walker.currentNode);
        }
        for (let node of nodes) {
            for (;;) {
                const text = node.data.toLowerCase();
                let at = -1;
                let len = 0;
                for (const w of lower) {
                    const i = text.indexOf(w);
                    if (i >= 0 && (at < 0 || i < at)) {
                        at = i;
                        len = w.length;
                    }
                }
                if (at < 0) {
                    break;
                }
                const hit = node.splitText(at);
                node = hit.splitText(len);
                const mark = document.createElement('mark');
                hit.replaceWith(mark);
                mark.append(hit);
            }
        }
    }

    /** Marks the words a reader searched for on the page a result opened. */
    function markFromUrl(params) {
        const words = (params.get(MARK_PARAM) || '').split(' ').filter(w => w);
        if (words.length === 0 || !content) {
            return;
        }
        markWords(content, words);
        const marks = content.querySelectorAll('mark');
        const unmark = () => {
            for (const mark of content.querySelectorAll('mark')) {
                mark.replaceWith(...mark.childNodes);
            }
            content.normalize();
            const url = new URL(window.location.href);
            url.searchParams.delete(MARK_PARAM);
            history.replaceState({}, document.title, url.href);
        };
        for (const mark of marks) {
            mark.addEventListener('click', unmark);
        }
    }

    function fromUrl() {
        const params = new URL(window.location.href).searchParams;
        const query = params.get(SEARCH_PARAM);
        if (query) {
            bar.value = query;
            showSearch(true);
        } else {
            showSearch(false);
        }
        markFromUrl(params);
    }

    // ---- events --------------------------------------------------------

    function onInput(e) {
        if (e.isComposing) {
            return; // wait for the IME to finish the word
        }
        const query = bar.value.trim();
        bar.classList.toggle('active', query !== '');
        loadIndex(() => runQuery(bar.value));
        setSearchParam(query === '' ? null : query);
    }

    function focusedResult() {
        return resultList.querySelector('li.focus');
    }

    function moveFocus(from, to) {
        if (from) {
            from.classList.remove('focus');
        }
        if (to) {
            to.classList.add('focus');
            to.scrollIntoView({block: 'nearest'});
        }
    }

    function open() {
        showSearch(true);
        window.scrollTo(0, 0);
        bar.focus();
        bar.select();
    }

    function close() {
        bar.blur();
        showSearch(false);
        setSearchParam(null);
    }

    function onKey(e) {
        if (e.altKey || e.ctrlKey || e.metaKey || e.isComposing) {
            return;
        }
        const inBar = document.activeElement === bar;
        const elsewhere = !inBar && typeof mdbook_something_else_has_focus === 'function'
            && mdbook_something_else_has_focus(e);
        if (elsewhere) {
            return;
        }
        const focused = focusedResult();
        if (e.key === 'Escape' && !wrapper.classList.contains('hidden')) {
            e.preventDefault();
            close();
        } else if (!inBar && (e.key === 's' || e.key === '/')) {
            e.preventDefault();
            open();
        } else if (inBar && (e.key === 'ArrowDown' || e.key === 'Enter')) {
            e.preventDefault();
            const first = resultList.firstElementChild;
            if (first) {
                bar.blur();
                moveFocus(focused, first);
                if (e.key === 'Enter') {
                    window.location.assign(first.querySelector('a').href);
                }
            }
        } else if (!inBar && focused) {
            if (e.key === 'ArrowDown') {
                e.preventDefault();
                moveFocus(focused, focused.nextElementSibling || focused);
            } else if (e.key === 'ArrowUp') {
                e.preventDefault();
                const prev = focused.previousElementSibling;
                moveFocus(focused, prev);
                if (!prev) {
                    bar.focus();
                    bar.select();
                }
            } else if (e.key === 'Enter') {
                e.preventDefault();
                window.location.assign(focused.querySelector('a').href);
            }
        }
    }

    bar.addEventListener('input', onInput);
    bar.addEventListener('compositionend', onInput);
    toggle.addEventListener('click', () => {
        if (wrapper.classList.contains('hidden')) {
            open();
        } else {
            close();
        }
    });
    document.addEventListener('keydown', onKey);
    form.addEventListener('submit', e => e.preventDefault());
    window.addEventListener('popstate', fromUrl);

    // For the browser tests and for measuring: search without the UI.
    window.search.find = query => search(query).map(r => ({
        path: r.page.path, title: r.page.title, score: r.score,
    }));
    window.search.load = () => new Promise(resolve => loadIndex(resolve));

    fromUrl();
})();
