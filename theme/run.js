// The Run button on Rust code blocks, in place of mdBook's own.
//
// mdBook's Run (book.js) gives up after 6 seconds, which is less than this
// book's 5-second countdown plus the Playground's compile time; it mixes
// stdout and stderr, and it asks the Playground for its crate list on every
// page load. So book.toml turns it off (`runnable = false`) and this script
// adds the buttons: it sends the whole program, hidden lines included, to
// the Playground's /execute endpoint with edition 2024, waits up to a
// minute, and shows stdout and stderr apart. Nothing is requested until a
// reader presses Run.
//
// Waiting longer does not help a long program: the Playground itself ends
// every job after 10 s, compiling included (rust-playground
// ui/src/server_axum.rs: `tokio::time::timeout(DOCKER_PROCESS_TIMEOUT_SOFT,
// …)`, then `Error::Timeout`, "The operation timed out", sent as HTTP 500
// with `{"error": …}`). So a block whose program was recorded running
// longer than half that (the preprocessor marks it `long-run-N`, N its
// recorded seconds) gets the note on running it locally instead of Run,
// and a run the Playground cut short says so.
(function () {
    'use strict';

    const PLAYGROUND = 'https://play.rust-lang.org';
    // Compiling a tokio program on the Playground takes 5-15 s, and the
    // longest listing sleeps 5 s; a busy Playground queues requests too.
    const TIMEOUT_MS = 60000;
    // Must match `[rust] edition` in book.toml (a code block may still
    // name its own with `edition2021` and the like).
    const EDITION = '2024';
    // Crates a Playground program can use. The Playground has tokio and
    // futures (and more), but not futures-lite, smol or the book's own
    // listing crates (`chNN`); a block that names any other crate gets no
    // Run button, only a note on running it locally.
    const AVAILABLE = new Set(['std', 'core', 'alloc', 'tokio', 'futures']);
    // Lower-case names that may start a path without being a crate.
    const NOT_CRATES = new Set(['crate', 'self', 'super', 'bool', 'char', 'str',
        'f32', 'f64', 'i8', 'i16', 'i32', 'i64', 'i128', 'isize', 'u8', 'u16',
        'u32', 'u64', 'u128', 'usize']);
    // The Playground's own limit per job, compile and run together.
    const PLAYGROUND_LIMIT_S = 10;
    // Blocks mdBook itself never makes runnable.
    const NEVER_RUN = ['ignore', 'compile_fail', 'no_run', 'noplaypen'];

    /** Removes comments and string literals, so that they name no crate. */
    function stripCommentsAndStrings(code) {
        return code
            .replace(/\/\*[\s\S]*?\*\//g, ' ')
            .replace(/\/\/[^\n]*/g, ' ')
            .replace(/r#*"[\s\S]*?"#*/g, '""')
            .replace(/"(?:[^"\\]|\\[\s\S])*"/g, '""');
    }

    /**
     * The crates a program uses that the Playground does not have: the
     * roots of `use` trees, of `extern crate` and of paths like
     * `futures_lite::future::block_on`. Names brought in by `use` or
     * declared with `mod` are not crates.
     */
    function missingCrates(code) {
        const text = stripCommentsAndStrings(code);
        const modules = new Set();
        const imported = new Set();
        const crateRoots = new Set();
        const pathRoots = new Set();
        for (const m of text.matchAll(/\bmod\s+([a-z_][a-z0-9_]*)/g)) {
            modules.add(m[1]);
        }
        for (const m of text.matchAll(/\bextern\s+crate\s+([a-z_][a-z0-9_]*)/g)) {
            crateRoots.add(m[1]);
        }
        for (const m of text.matchAll(/\buse\s+(?:::)?\s*([a-z_][a-z0-9_]*)([^;]*);/gi)) {
            crateRoots.add(m[1]);
            for (const name of m[2].matchAll(/[a-z_][a-z0-9_]*/gi)) {
                imported.add(name[0]);
            }
        }
        // A path root: not after `.`, `::` or another word character, and
        // not a turbofish such as `size_of::<T>()`.
        for (const m of text.matchAll(/(^|[^\w:.$])([a-z_][a-z0-9_]*)\s*::(?!\s*<)/g)) {
            if (!imported.has(m[2])) {
                pathRoots.add(m[2]);
            }
        }
        const missing = new Set();
        for (const root of [...crateRoots, ...pathRoots]) {
            if (!AVAILABLE.has(root) && !NOT_CRATES.has(root) && !modules.has(root)) {
                missing.add(root);
            }
        }
        return Array.from(missing);
    }

    /** mdBook runs a block without `fn main` as the body of one. */
    function asProgram(code) {
        if (/\bfn\s+main\s*\(/.test(code)) {
            return code;
        }
        const attrs = [];
        const body = code.replace(/^\s*#!\[[^\]]*\]\s*$/gm, line => {
            attrs.push(line.trim());
            return '';
        });
        return attrs.join('\n') + (attrs.length ? '\n' : '') + 'fn main() {\n' + body + '\n}';
    }

    /** The block's full source: an editor's text, or all lines incl. hidden. */
    function sourceOf(code) {
        const editor = editors.get(code);
        return editor ? editor.getValue() : code.textContent;
    }

    // ---- editing -----------------------------------------------------------
    //
    // Every block with a Run button can be edited. The Ace editor (about
    // 400 KB, copied into the book by mdBook) is loaded only when a reader
    // presses “编辑” (theme/index.hbs lists its files). An edit is saved in
    // localStorage per page and block, shown again when the reader comes
    // back (as plain highlighted text, without loading Ace), and sent by
    // Run; “恢复原样” brings the book's text back.

    /** code element -> its Ace editor, once the reader started editing. */
    const editors = new Map();
    const STORE = 'async-book-edit:';
    let aceLoading = null;

    function storageKey(index) {
        return STORE + window.location.pathname.split('/').pop() + '#' + index;
    }

    function loadStored(index) {
        try {
            return localStorage.getItem(storageKey(index));
        } catch (e) {
            return null;
        }
    }

    function store(index, text) {
        try {
            if (text === null) {
                localStorage.removeItem(storageKey(index));
            } else {
                localStorage.setItem(storageKey(index), text);
            }
        } catch (e) {
            // Private mode or a full store: the edit lives until the page closes.
        }
    }

    function loadScript(src) {
        return new Promise((resolve, reject) => {
            const script = document.createElement('script');
            script.src = src;
            script.onload = resolve;
            script.onerror = () => reject(new Error(`cannot load ${src}`));
            document.head.append(script);
        });
    }

    /** Ace and its Rust mode and themes, loaded once, in order. */
    function loadAce() {
        if (!aceLoading) {
            const files = window.playground_editor_files || [];
            aceLoading = files.reduce((p, src) => p.then(() => loadScript(src)), Promise.resolve());
        }
        return aceLoading;
    }

    function aceTheme() {
        const cls = document.documentElement.classList;
        return ['coal', 'navy', 'ayu'].some(t => cls.contains(t))
            ? 'ace/theme/tomorrow_night' : 'ace/theme/dawn';
    }

    /** Shows `text` in a block that has no editor yet, highlighted. */
    function showText(code, text) {
        code.textContent = text;
        if (window.hljs) {
            code.classList.remove('hljs');
            delete code.dataset.highlighted;
            try {
                window.hljs.highlightBlock(code);
            } catch (e) {
                // Unhighlighted text is still correct.
            }
            code.classList.add('hljs');
        }
    }

    function setEdited(block, edited) {
        block.pre.classList.toggle('edited', edited);
        block.reset.hidden = !edited;
    }

    async function startEditing(block) {
        if (editors.has(block.code)) {
            editors.get(block.code).focus();
            return;
        }
        block.edit.disabled = true;
        try {
            await loadAce();
        } catch (e) {
            console.error(`editor: ${e.message}`);
            block.edit.disabled = false;
            return;
        }
        const text = block.code.textContent;
        block.code.classList.add('editable');
        const editor = window.ace.edit(block.code);
        editor.setOptions({
            highlightActiveLine: false,
            showPrintMargin: false,
            showLineNumbers: false,
            showGutter: false,
            maxLines: Infinity,
            fontSize: '0.875em',
        });
        editor.$blockScrolling = Infinity;
        editor.getSession().setMode('ace/mode/rust');
        editor.setTheme(aceTheme());
        editor.setValue(text, 1);
        editor.originalCode = block.original;
        editor.commands.addCommand({
            name: 'run',
            bindKey: {win: 'Ctrl-Enter', mac: 'Ctrl-Enter'},
            exec: () => run(block.pre, block.code, block.run),
        });
        editor.on('change', () => {
            const value = editor.getValue();
            const edited = value !== block.original;
            store(block.index, edited ? value : null);
            setEdited(block, edited);
        });
        editors.set(block.code, editor);
        // book.js switches the editors' colours with the page theme.
        window.editors = window.editors || [];
        window.editors.push(editor);
        block.edit.hidden = true;
        editor.focus();
    }

    function reset(block) {
        store(block.index, null);
        const editor = editors.get(block.code);
        if (editor) {
            editor.setValue(block.original, 1);
        } else {
            block.code.innerHTML = block.originalHtml;
        }
        setEdited(block, false);
    }

    function textButton(label, cls, title) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = cls;
        button.textContent = label;
        button.title = title;
        return button;
    }

    /** The edit and reset buttons of a runnable block; restores its edit. */
    function makeEditable(pre, code, runButton, index) {
        const block = {
            pre, code, index, run: runButton,
            original: code.textContent,
            originalHtml: code.innerHTML,
            edit: textButton('编辑', 'edit-button', '修改这段代码，再按“运行”或 Ctrl-Enter 运行改过的代码'),
            reset: textButton('恢复原样', 'reset-button', '丢掉修改，恢复书上的代码'),
        };
        block.edit.setAttribute('aria-label', '编辑这段代码');
        block.reset.setAttribute('aria-label', '恢复这段代码的原样');
        block.reset.hidden = true;
        runButton.after(block.edit, block.reset);
        block.edit.addEventListener('click', () => startEditing(block));
        block.reset.addEventListener('click', () => reset(block));
        const saved = loadStored(index);
        if (saved !== null && saved !== block.original) {
            showText(code, saved);
            setEdited(block, true);
        }
    }

    function editionOf(code) {
        for (const cls of code.classList) {
            const m = cls.match(/^edition(\d{4})$/);
            if (m) {
                return m[1];
            }
        }
        return EDITION;
    }

    /** The listing's chapter, from a page name such as ch03-send.html. */
    function chapterOfPage() {
        const m = window.location.pathname.match(/\/(ch\d+)-[^/]*$/);
        return m ? m[1] : null;
    }

    // ---- output ---------------------------------------------------------

    function outputBox(pre) {
        let box = pre.nextElementSibling;
        if (!box || !box.classList.contains('run-output')) {
            box = document.createElement('div');
            box.className = 'run-output';
            box.setAttribute('role', 'status');
            box.setAttribute('aria-live', 'polite');
            pre.after(box);
        }
        return box;
    }

    /** A labelled stream of text; textContent keeps any markup inert. */
    function stream(label, text, cls) {
        const part = document.createElement('div');
        part.className = 'run-stream ' + cls;
        const title = document.createElement('div');
        title.className = 'run-label';
        title.textContent = label;
        const body = document.createElement('pre');
        body.textContent = text;
        part.append(title, body);
        return part;
    }

    function status(text, cls) {
        const p = document.createElement('p');
        p.className = 'run-status ' + cls;
        p.textContent = text;
        return p;
    }

    /** Cargo's own progress lines, which say nothing about the program. */
    function withoutCargoNoise(stderr) {
        return stderr
            .split('\n')
            .filter(line => !/^\s*(Compiling|Finished|Running|Blocking|Updating|Downloaded?) /.test(line))
            .join('\n')
            .trim();
    }

    function showReply(box, reply) {
        const stdout = typeof reply.stdout === 'string' ? reply.stdout : '';
        const stderrRaw = typeof reply.stderr === 'string' ? reply.stderr : '';
        const stderr = withoutCargoNoise(stderrRaw);
        const ran = /^\s*Running /m.test(stderrRaw);
        box.replaceChildren();
        if (reply.success) {
            box.append(status('运行完成。', 'run-ok'));
        } else if (!ran) {
            box.append(status('编译失败：Playground 上的编译器报告了下面的错误。', 'run-error'));
        } else {
            const detail = reply.exitDetail ? `（${reply.exitDetail}）` : '';
            box.append(status(`程序异常退出${detail}。`, 'run-error'));
        }
        if (stdout !== '' || reply.success) {
            box.append(stream('标准输出（stdout）', stdout === '' ? '（没有输出）' : stdout, 'run-stdout'));
        }
        if (stderr !== '') {
            box.append(stream(ran ? '标准错误（stderr）' : '编译器输出', stderr, 'run-stderr'));
        }
    }

    function showFailure(box, text) {
        box.replaceChildren(status(text, 'run-error'));
    }

    // ---- running -----------------------------------------------------------

    async function run(pre, code, button) {
        if (button.disabled) {
            return;
        }
        const box = outputBox(pre);
        const source = asProgram(sourceOf(code));
        const request = {
            channel: source.includes('#![feature') ? 'nightly' : 'stable',
            mode: 'debug',
            edition: editionOf(code),
            crateType: 'bin',
            tests: false,
            backtrace: false,
            code: source,
        };
        button.disabled = true;
        pre.classList.add('running');
        const started = Date.now();
        const running = status('运行中…', 'run-running');
        box.replaceChildren(running);
        const ticker = setInterval(() => {
            const s = Math.round((Date.now() - started) / 1000);
            running.textContent = `运行中…（已等待 ${s} 秒，编译加运行通常要 10 到 20 秒）`;
        }, 1000);
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
        try {
            const response = await fetch(PLAYGROUND + '/execute', {
                method: 'POST',
                mode: 'cors',
                headers: {'Content-Type': 'application/json'},
                body: JSON.stringify(request),
                signal: abort.signal,
            });
            if (!response.ok) {
                const reply = await response.json().catch(() => ({}));
                if (/timed out/i.test(String(reply.error || ''))) {
                    showFailure(box, `Rust Playground 在它自己的 ${PLAYGROUND_LIMIT_S} 秒上限（编译时间也算在内）到了时结束了这个程序，没有返回输出：程序被截断了，不是出错。请在本地运行这个例子。`);
                    return;
                }
                showFailure(box, `Rust Playground 返回了错误（HTTP ${response.status}），请稍后再试，或在本地运行这个例子。`);
                return;
            }
            showReply(box, await response.json());
        } catch (e) {
            if (abort.signal.aborted) {
                showFailure(box, `Rust Playground 在 ${TIMEOUT_MS / 1000} 秒内没有回应，请稍后再试，或在本地运行这个例子。`);
            } else {
                showFailure(box, '无法连接 Rust Playground（play.rust-lang.org）。请检查网络连接，或在本地运行这个例子。');
            }
        } finally {
            clearTimeout(timer);
            clearInterval(ticker);
            button.disabled = false;
            pre.classList.remove('running');
        }
    }

    // ---- buttons and notes ------------------------------------------------

    function buttonsOf(pre) {
        let buttons = pre.querySelector(':scope > .buttons');
        if (!buttons) {
            buttons = document.createElement('div');
            buttons.className = 'buttons';
            pre.prepend(buttons);
        }
        return buttons;
    }

    function addRunButton(pre, code) {
        const button = document.createElement('button');
        button.className = 'play-button';
        button.type = 'button';
        button.title = '在 Rust Playground 上运行（Ctrl-Enter）';
        button.setAttribute('aria-label', '运行这段代码');
        const icon = document.getElementById('fa-play');
        if (icon) {
            button.append(icon.content.cloneNode(true));
        } else {
            button.textContent = '▶';
        }
        buttonsOf(pre).prepend(button);
        button.addEventListener('click', () => run(pre, code, button));
        return button;
    }

    /** The recorded run time of a block marked `long-run-N`, or null. */
    function longRun(code) {
        for (const cls of code.classList) {
            const m = cls.match(/^long-run-(\d+)$/);
            if (m) {
                return Number(m[1]);
            }
        }
        return null;
    }

    function addLocalNote(pre, crates, seconds) {
        const note = document.createElement('p');
        note.className = 'run-locally';
        const chapter = chapterOfPage();
        const where = chapter
            ? `在本地运行：在本书仓库的 listings/${chapter} 目录里执行 cargo run --bin <程序名>（程序名见正文）。`
            : '在本地运行：在本书仓库的 listings/ 目录里用 cargo run 运行。';
        if (crates.length) {
            note.textContent = `这段代码用到了 Rust Playground 没有的 crate（${crates.join('、')}），不能在线运行；请${where}`;
        } else if (seconds !== null) {
            note.textContent = `这个程序在本书的检查里运行了约 ${seconds} 秒，加上编译，在 Rust Playground 上很可能超过它 ${PLAYGROUND_LIMIT_S} 秒的上限而被中途结束，所以这里没有“运行”按钮；请${where}`;
        } else {
            note.textContent = `这段代码不在 Rust Playground 上运行；请${where}`;
        }
        pre.after(note);
    }

    let runnable = 0;
    for (const code of document.querySelectorAll('pre > code')) {
        const cls = code.classList;
        // book.js drops `language-rust` from editable blocks, which are Rust.
        if (!cls.contains('language-rust') && !cls.contains('editable')) {
            continue;
        }
        if (NEVER_RUN.some(c => cls.contains(c))) {
            continue;
        }
        const pre = code.parentElement;
        const crates = missingCrates(code.textContent);
        const seconds = longRun(code);
        if (cls.contains('noplayground') || crates.length > 0 || seconds !== null) {
            addLocalNote(pre, crates, seconds);
        } else {
            makeEditable(pre, code, addRunButton(pre, code), runnable++);
        }
    }
})();
