// Mermaid diagrams, loaded only on pages that have one.
//
// mdbook-mermaid turns ```mermaid blocks into <pre class="mermaid">, and its
// installer would put the 2.6 MB mermaid.min.js on every page through
// `additional-js`. Here it is loaded from the book itself (src/assets/) and
// only when the page contains a diagram. Each diagram is rendered on its
// own, so a syntax error is shown under that diagram, logged as a console
// error naming the page (which fails the browser tests), and the other
// diagrams still render. Switching between a light and a dark theme
// re-renders the diagrams in matching colours, without a reload.
(function () {
    'use strict';

    const blocks = Array.from(document.querySelectorAll('pre.mermaid'));
    if (blocks.length === 0) {
        return;
    }
    const DARK = ['coal', 'navy', 'ayu'];
    const html = document.documentElement;
    const page = window.location.pathname.split('/').pop() || 'index.html';
    // Diagram sources, kept before mermaid replaces them with SVG.
    const sources = blocks.map(pre => pre.textContent);
    let renderedAs = null;
    let renders = 0;

    const mermaidTheme = () =>
        DARK.some(t => html.classList.contains(t)) ? 'dark' : 'default';

    async function renderAll() {
        const theme = mermaidTheme();
        if (theme === renderedAs) {
            return;
        }
        renderedAs = theme;
        // As tests/tools/render-diagrams.js: readable edge labels (axe).
        const themeVariables = theme === 'dark' ? {edgeLabelBackground: '#404040'} : {};
        window.mermaid.initialize({startOnLoad: false, theme, securityLevel: 'strict', themeVariables});
        for (const [i, pre] of blocks.entries()) {
            const id = `mermaid-diagram-${i}-${renders++}`;
            try {
                const {svg} = await window.mermaid.render(id, sources[i]);
                pre.innerHTML = svg; // mermaid's sanitised SVG
                pre.dataset.theme = theme;
                delete pre.dataset.diagramError;
            } catch (e) {
                const message = String(e && e.message || e);
                pre.dataset.diagramError = message;
                pre.replaceChildren();
                const note = document.createElement('div');
                note.className = 'diagram-error';
                note.textContent = `图表 ${i + 1} 有语法错误：${message}`;
                const source = document.createElement('code');
                source.textContent = sources[i];
                pre.append(note, source);
                console.error(`mermaid: diagram ${i + 1} on ${page} failed: ${message}`);
                // mermaid leaves its error output in <body>; remove it.
                document.getElementById('d' + id)?.remove();
            }
        }
        html.dataset.diagrams = theme;
    }

    const script = document.createElement('script');
    // mdBook copies src/ to the book unchanged, so this path is stable.
    script.src = path_to_root + 'assets/mermaid.min.js';
    // One render at a time: a theme switch waits for the render before it.
    let queue = Promise.resolve();
    const schedule = () => {
        queue = queue.then(renderAll);
    };
    script.onload = () => {
        schedule();
        new MutationObserver(schedule).observe(html, {attributeFilter: ['class']});
    };
    script.onerror = () => console.error(`mermaid: cannot load ${script.src}`);
    document.head.append(script);
})();
