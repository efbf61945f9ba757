// The “预测输出” questions and the 「自测进度」 page.
//
// The questions are plain HTML written by the book's preprocessor
// (tools/expected-output/src/quiz.rs) from the checked expected outputs; the
// correct choice is in data-answer. This script makes them answerable with
// real buttons and radio inputs (keyboard and screen readers work as for
// any form), says whether the answer is right in a polite live region,
// then shows the real output, with the replay for a timed output
// (theme/replay.js): all of it once every question on that output has been
// answered, until then only the part up to the line asked about. Answers
// and the exercises a reader ticks are kept in localStorage on this device
// only; nothing is requested.
(function () {
    'use strict';

    const QUIZ_KEY = 'async-book-quiz';
    const EXERCISE_KEY = 'async-book-exercises';

    function load(key) {
        try {
            return JSON.parse(localStorage.getItem(key)) || {};
        } catch (e) {
            return {};
        }
    }
    function save(key, value) {
        try {
            localStorage.setItem(key, JSON.stringify(value));
        } catch (e) {
            // Storage may be off (private mode): answering still works.
        }
    }

    const answerOf = section => section.dataset.answer.split(',').map(Number);

    function setupQuestion(section) {
        const id = section.dataset.quiz;
        const kind = section.dataset.kind;
        const answer = answerOf(section);
        const feedback = section.querySelector('.quiz-feedback');
        const submit = section.querySelector('.quiz-submit');
        const items = [...section.querySelectorAll('.quiz-item')];
        const picked = [];
        const list = section.querySelector('.quiz-picked');
        const itemText = i => items[i].textContent;

        const previous = load(QUIZ_KEY)[id];
        if (previous) {
            feedback.textContent = previous.ok
                ? '你上次答对了这题；可以再答一次。'
                : '你上次答错了这题；再试一次？';
        }

        function drawPicked() {
            list.replaceChildren(...picked.map(i => {
                const li = document.createElement('li');
                const code = document.createElement('code');
                code.textContent = itemText(i);
                li.append(code);
                return li;
            }));
            items.forEach((b, i) => { b.disabled = picked.includes(i); });
        }

        items.forEach((button, i) => button.addEventListener('click', () => {
            if (picked.includes(i)) return;
            picked.push(i);
            drawPicked();
            feedback.textContent =
                `第 ${picked.length} 行：${itemText(i)}（还剩 ${items.length - picked.length} 行）`;
            const next = items.find(b => !b.disabled);
            (next || submit).focus();
        }));
        const undo = section.querySelector('.quiz-undo');
        if (undo) {
            undo.addEventListener('click', () => {
                const i = picked.pop();
                drawPicked();
                feedback.textContent = i === undefined
                    ? '还没有选任何一行。'
                    : `撤销了：${itemText(i)}`;
            });
        }

        submit.addEventListener('click', () => {
            let ok;
            let truth;
            if (kind === 'order') {
                if (picked.length < items.length) {
                    feedback.textContent =
                        `还有 ${items.length - picked.length} 行没有排：请依次选完所有行。`;
                    return;
                }
                ok = answer.every((a, k) => itemText(picked[k]) === itemText(a));
                truth = answer.map(itemText).join(' → ');
            } else {
                const chosen = section.querySelector('input[type="radio"]:checked');
                if (!chosen) {
                    feedback.textContent = '请先选一项。';
                    return;
                }
                ok = Number(chosen.value) === answer[0];
                const right = section.querySelector(`input[value="${answer[0]}"]`);
                truth = right.parentElement.textContent.trim();
            }
            feedback.textContent = ok
                ? '答对了 ✓'
                : `不对。正确答案：${truth}`;
            section.classList.toggle('quiz-right', ok);
            section.classList.toggle('quiz-wrong', !ok);
            reveal(section);
            const all = load(QUIZ_KEY);
            all[id] = { ok, at: Date.now() };
            save(QUIZ_KEY, all);
            if (kind === 'order') {
                picked.length = 0;
                drawPicked();
            }
        });
    }

    // Questions answered on this page: an answer shows the whole output
    // only once every question on that output has been answered; before
    // that, the output up to the line it asked about, so that it cannot
    // answer a question further down.
    const answered = new Set();

    // The explanation and the real output; a timed output gets its replay.
    function reveal(section) {
        answered.add(section);
        section.querySelector('.quiz-reveal').hidden = false;
        const source = section.dataset.output;
        const group = source
            ? [...document.querySelectorAll('section.quiz[data-output]')]
                .filter(s => s.dataset.output === source)
            : [section];
        const done = group.every(s => answered.has(s));
        (done ? group : [section]).forEach(s => {
            const full = s.querySelector('.quiz-output');
            const partial = s.querySelector('.quiz-output-partial');
            const shown = done || !partial ? full : partial;
            if (!shown) return;
            if (partial && shown === full) partial.hidden = true;
            shown.hidden = false;
            const data = shown.querySelector('script.quiz-timed-output');
            if (data && window.asyncBookReplay) {
                data.className = 'timed-output';
                window.asyncBookReplay(data);
            }
        });
    }

    function setupProgress(page) {
        const summary = page.querySelector('.quiz-progress-summary');
        const rows = [...page.querySelectorAll('li[data-quiz]')];
        const boxes = [...page.querySelectorAll('input[data-exercise]')];

        function draw() {
            const answers = load(QUIZ_KEY);
            const done = load(EXERCISE_KEY);
            let right = 0;
            let wrong = 0;
            rows.forEach(row => {
                const a = answers[row.dataset.quiz];
                const status = row.querySelector('.quiz-status');
                status.textContent = !a ? '未答' : a.ok ? '答对了 ✓' : '答错了';
                row.dataset.state = !a ? 'none' : a.ok ? 'right' : 'wrong';
                if (a) (a.ok ? right++ : wrong++);
            });
            boxes.forEach(box => { box.checked = !!done[box.dataset.exercise]; });
            const ticked = boxes.filter(b => b.checked).length;
            summary.textContent = `共 ${rows.length} 道题：答对 ${right}，答错 ${wrong}，`
                + `未答 ${rows.length - right - wrong}；练习已勾选 ${ticked} / ${boxes.length}。`;
        }

        boxes.forEach(box => box.addEventListener('change', () => {
            const done = load(EXERCISE_KEY);
            if (box.checked) done[box.dataset.exercise] = true;
            else delete done[box.dataset.exercise];
            save(EXERCISE_KEY, done);
            draw();
        }));
        page.querySelector('.quiz-reset').addEventListener('click', () => {
            if (!window.confirm('清空这台设备上的全部答题记录和练习勾选？')) return;
            try {
                localStorage.removeItem(QUIZ_KEY);
                localStorage.removeItem(EXERCISE_KEY);
            } catch (e) {
                // Nothing stored.
            }
            draw();
            summary.textContent = `已清空。${summary.textContent}`;
        });
        // Another tab may answer meanwhile; back/forward restores this page.
        window.addEventListener('storage', draw);
        window.addEventListener('pageshow', draw);
        draw();
    }

    document.querySelectorAll('section.quiz[data-quiz]').forEach(setupQuestion);
    document.querySelectorAll('.quiz-progress').forEach(setupProgress);
})();
