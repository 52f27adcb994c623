import { api, h, ApiError } from './api.js';

const EXAMPLE = `{
  "name": "wordcount",
  "settings": { "shufflePartitions": 4 },
  "steps": [
    { "id": "lines", "op": "textFile", "path": "input/books/*.txt" },
    { "id": "words", "op": "flatMap", "from": "lines", "fn": "line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)" },
    { "id": "pairs", "op": "map", "from": "words", "fn": "w => (w.ToLowerInvariant(), 1L)" },
    { "id": "counts", "op": "reduceByKey", "from": "pairs", "fn": "(a, b) => a + b" },
    { "op": "saveAsTextFile", "from": "counts", "path": "output/wordcount", "overwrite": true }
  ]
}`;

// A spec editor: checked as you type (parse, compile, build), with each problem shown under its line.
export function renderSubmit(app) {
  const editor = h('textarea', { spellcheck: 'false', 'data-testid': 'spec' });
  editor.value = sessionStorage.getItem('spark-spec') ?? EXAMPLE;
  const annotated = h('div', { class: 'annotated', 'data-testid': 'annotated' });
  const summary = h('div', { class: 'problems', 'data-testid': 'summary' });
  const submit = h('button', { class: 'primary', 'data-testid': 'submit', onclick: () => send() }, 'Submit');
  app.append(h('h1', {}, 'Submit a job'),
    h('p', { class: 'muted' }, 'A JSON spec whose lambdas are C#. It is compiled as you type; problems appear under the line they concern.'),
    h('div', {}, h('button', { 'data-testid': 'check', onclick: () => check() }, 'Check'), ' ', submit),
    summary,
    h('div', { class: 'editor' }, editor, annotated));

  let timer = null, generation = 0;
  editor.addEventListener('input', () => {
    sessionStorage.setItem('spark-spec', editor.value);
    clearTimeout(timer);
    timer = setTimeout(check, 600);
  });

  async function check() {
    const mine = ++generation;
    try {
      const result = await api('/api/specs/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: editor.value });
      if (mine === generation) show(result.problems);
      return result;
    } catch (e) {
      summary.replaceChildren(h('p', { class: 'error' }, e.message));
      return null;
    }
  }

  function show(problems) {
    const lines = editor.value.split('\n');
    const byLine = new Map();
    for (const p of problems) if (p.documentLine) byLine.set(p.documentLine, [...(byLine.get(p.documentLine) ?? []), p]);
    annotated.replaceChildren(...lines.flatMap((text, i) => {
      const here = byLine.get(i + 1) ?? [];
      return [h('div', { class: here.length ? 'line bad' : 'line' }, h('span', { class: 'n' }, i + 1), text),
        ...here.map(p => h('div', { class: 'problem', 'data-testid': 'problem', 'data-line': i + 1 }, p.message))];
    }));
    const unplaced = problems.filter(p => !p.documentLine);
    summary.replaceChildren(problems.length
      ? h('p', { class: 'error', 'data-testid': 'problem-count' }, `${problems.length} problem${problems.length > 1 ? 's' : ''}`)
      : h('p', { class: 'ok-note', 'data-testid': 'valid' }, 'The spec compiles.'),
      ...unplaced.map(p => h('p', { class: 'error', 'data-testid': 'problem' }, p.message)));
  }

  async function send() {
    submit.disabled = true;
    try {
      const job = await api('/api/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: editor.value });
      location.hash = `#/jobs/${job.id}`;
    } catch (e) {
      // A refused spec: show why, placed in the text as the check places it.
      if (e instanceof ApiError && e.status === 400) await check();
      summary.prepend(h('p', { class: 'error', 'data-testid': 'submit-error' }, e.message));
    } finally {
      submit.disabled = false;
    }
  }

  check();
  return () => clearTimeout(timer);
}
