import { api, poll, h, badge, time } from './api.js';
import { drawChart } from './chart.js';

// Executors now, and the managers' history of queue depth and pool size as a chart.
export function renderExecutors(app) {
  const body = h('tbody');
  const error = h('p', { class: 'error' });
  const minutes = h('select', { 'data-testid': 'chart-minutes', onchange: () => refresh() },
    ...[10, 60, 360, 1440].map(m => h('option', { value: m, selected: m === 60 }, m < 60 ? `${m} minutes` : `${m / 60} hour${m > 60 ? 's' : ''}`)));
  const chart = h('div', { 'data-testid': 'chart' });
  app.append(
    h('h1', {}, 'Executors'), error,
    h('table', { 'data-testid': 'executors' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Executor'), h('th', {}, 'Manager'), h('th', {}, 'Status'), h('th', {}, 'Host'), h('th', { class: 'num' }, 'Slots'),
        h('th', { class: 'num' }, 'Running'), h('th', {}, 'Idle since'), h('th', {}, 'Last seen'), h('th', { class: 'num' }, 'Tasks finished'))),
      body),
    h('h2', {}, 'Queue depth and executors over ', minutes),
    h('div', { class: 'legend' }, h('span', { class: 'queue' }, 'task queue depth'), h('span', { class: 'executors' }, 'executors')),
    chart);
  const refresh = async () => {
    const [executors, history] = await Promise.all([api('/api/executors'), api(`/api/scale/history?minutes=${minutes.value}`)]);
    error.textContent = '';
    const shown = executors.filter(e => e.status !== 'stopped');
    body.replaceChildren(...(shown.length ? shown.map(row) : [h('tr', {}, h('td', { colspan: 9, class: 'muted' }, 'No executors are running: the pool is at zero until tasks wait.'))]));
    chart.replaceChildren(drawChart(history, Number(minutes.value)));
  };
  return poll(refresh, 2000, e => { error.textContent = e.message; });
}

function row(e) {
  return h('tr', { 'data-testid': 'executor-row', 'data-executor': e.executorId },
    h('td', {}, e.executorId), h('td', {}, e.managerId ?? ''), h('td', {}, badge(e.status)), h('td', {}, `${e.host} (pid ${e.processId})`),
    h('td', { class: 'num' }, e.slots), h('td', { class: 'num' }, e.running.length), h('td', {}, time(e.idleSince)), h('td', {}, time(e.lastSeen)),
    h('td', { class: 'num' }, e.tasksFinished));
}
