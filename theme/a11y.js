// Small accessibility fixes around mdBook's book.js, which runs just
// before this script. (theme/head.hbs keeps book.js from installing an
// unload handler.)
(function () {
    'use strict';

    // The sidebar toggle is a <button> in theme/index.hbs (mdBook's is a
    // <label> for the hidden checkbox, which cannot carry aria-expanded nor
    // be reached with the keyboard). book.js still handles the button's
    // click and keeps aria-expanded up to date; the checkbox holds the
    // state the CSS uses, so a click flips it.
    const toggle = document.getElementById('mdbook-sidebar-toggle');
    const checkbox = document.getElementById('mdbook-sidebar-toggle-anchor');
    if (toggle && checkbox && toggle.tagName === 'BUTTON') {
        toggle.addEventListener('click', () => checkbox.click());
    }

    // A code block wider than the page scrolls sideways: keyboard users
    // must be able to focus it to scroll it (axe: scrollable-region-focusable).
    function focusableScrollers() {
        for (const el of document.querySelectorAll('main pre, main pre > code, main .table-wrapper')) {
            const scrolls = el.scrollWidth > el.clientWidth + 1
                && /auto|scroll/.test(getComputedStyle(el).overflowX);
            if (scrolls && !el.hasAttribute('tabindex')) {
                el.setAttribute('tabindex', '0');
            }
        }
    }
    focusableScrollers();
    window.addEventListener('resize', focusableScrollers, {passive: true});

    // The number of search results is announced as it changes.
    const resultsHeader = document.getElementById('mdbook-searchresults-header');
    if (resultsHeader) {
        resultsHeader.setAttribute('role', 'status');
        resultsHeader.setAttribute('aria-live', 'polite');
    }
})();
