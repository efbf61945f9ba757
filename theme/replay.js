// Replays a timed output at the pace it was recorded.
//
// For an expected output that records when each line arrived (see
// tools/expected-output), the book's preprocessor puts the times in a
// <script type="application/json" class="timed-output"> right after the
// code block: nothing is fetched, so this works from file:// too. Each such
// block gets real buttons: "▶ 按真实节奏回放" clears the block and shows
// the lines at their recorded times with a running clock; "暂停"/"继续"
// stops and resumes the clock. Play, pause and the end are announced
// politely to screen readers. With `prefers-reduced-motion: reduce` the
// button lists every line with its time instead of animating.
(function () {
    'use strict';

    const TICK_MS = 50;
    const reduceMotion = () =>
        window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    const clockText = t => `t = ${t.toFixed(1)} s`;

    function el(tag, props, text) {
        const node = document.createElement(tag);
        Object.assign(node, props || {});
        if (text !== undefined) node.textContent = text;
        return node;
    }

    function setup(script) {
        let data;
        try {
            data = JSON.parse(script.textContent);
        } catch (e) {
            console.error('replay: unreadable timed-output data', e);
            return;
        }
        let pre = script.previousElementSibling;
        while (pre && pre.tagName !== 'PRE') pre = pre.previousElementSibling;
        const code = pre && pre.querySelector('code');
        if (!code) {
            console.error('replay: no code block before the timed-output data');
            return;
        }
        pre.classList.add('replay-target');
        const lines = data.lines.map(l => ({ t: l.t || 0, text: l.text }));
        const end = lines.reduce((m, l) => Math.max(m, l.t), 0);
        const original = code.innerHTML;

        const box = el('div', { className: 'replay' });
        box.setAttribute('role', 'group');
        box.setAttribute('aria-label', '按真实节奏回放这段输出');
        const play = el('button', { type: 'button', className: 'replay-play' },
            '▶ 按真实节奏回放');
        const pause = el('button', { type: 'button', className: 'replay-pause',
            disabled: true }, '⏸ 暂停');
        const clock = el('span', { className: 'replay-clock' }, clockText(0));
        clock.setAttribute('role', 'timer');
        const status = el('span', { className: 'replay-status' });
        status.setAttribute('aria-live', 'polite');
        const where = data.recorded ? `（${data.recorded}）` : '';
        const note = el('p', { className: 'replay-note' },
            `这是一次真实运行的录制${where}：回放时，每行在它当时出现的时刻出现。`);
        box.append(play, pause, clock, status, note);
        pre.parentNode.insertBefore(box, pre);

        let timer = null;
        let base = 0;          // seconds played before the current stretch
        let startedAt = 0;     // performance.now() when the stretch began
        let shown = -1;
        let table = null;

        const elapsed = () => timer === null
            ? base : base + (performance.now() - startedAt) / 1000;

        function render(t) {
            const due = lines.filter(l => l.t <= t).length;
            if (due !== shown) {
                shown = due;
                const text = lines.slice(0, due).map(l => l.text);
                code.textContent = [data.command || '', ...text].join('\n');
            }
            clock.textContent = clockText(Math.min(t, end));
        }

        function stop() {
            if (timer !== null) {
                base = elapsed();
                clearInterval(timer);
                timer = null;
            }
        }

        function tick() {
            const t = elapsed();
            render(t);
            if (t >= end) {
                stop();
                pause.disabled = true;
                pause.textContent = '⏸ 暂停';
                status.textContent = `回放结束：${lines.length} 行，用时 ${end.toFixed(1)} 秒。`;
            }
        }

        function run() {
            startedAt = performance.now();
            timer = setInterval(tick, TICK_MS);
        }

        function showStatic() {
            if (!table) {
                table = el('table', { className: 'replay-timeline' });
                const head = table.createTHead().insertRow();
                head.append(el('th', {}, '时刻'), el('th', {}, '输出'));
                const body = table.createTBody();
                for (const l of lines) {
                    const row = body.insertRow();
                    row.append(el('td', {}, clockText(l.t)), el('td', {}, l.text));
                }
                pre.parentNode.insertBefore(table, pre.nextSibling);
            }
            code.innerHTML = original;
            clock.textContent = clockText(end);
            status.textContent = `已列出每行出现的时刻（共 ${lines.length} 行），不播放动画。`;
        }

        play.addEventListener('click', () => {
            stop();
            if (reduceMotion()) {
                showStatic();
                return;
            }
            base = 0;
            shown = -1;
            render(0);
            pause.disabled = false;
            pause.textContent = '⏸ 暂停';
            status.textContent = '正在按录制时的节奏回放。';
            run();
        });

        pause.addEventListener('click', () => {
            if (timer !== null) {
                stop();
                render(base);
                pause.textContent = '▶ 继续';
                status.textContent = `已暂停于 ${clockText(base)}。`;
            } else {
                pause.textContent = '⏸ 暂停';
                status.textContent = '继续回放。';
                run();
            }
        });
    }

    document.querySelectorAll('script.timed-output').forEach(setup);
    // theme/quiz.js sets up the replay of an output it reveals after an answer.
    window.asyncBookReplay = setup;
})();
