import { api, poll, h, badge, duration, time, count } from './api.js';

// The jobs list: newest first, refreshed every two seconds.
export function renderJobs(app) {
  const body = h('tbody');
  const error = h('p', { class: 'error' });
  app.append(
    h('h1', {}, 'Jobs'),
    error,
    h('table', { 'data-testid': 'jobs' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Job'), h('th', {}, 'Name'), h('th', {}, 'Status'), h('th', {}, 'Submitted'),
        h('th', { class: 'num' }, 'Duration'), h('th', { class: 'num' }, 'Tasks'))),
      body));
  return poll(async () => {
    const jobs = await api('/api/jobs?limit=100');
    error.textContent = '';
    body.replaceChildren(...(jobs.length ? jobs.map(row) : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No jobs yet. ', h('a', { href: '#/submit' }, 'Submit one.')))]));
  }, 2000, e => { error.textContent = e.message; });
}

function row(job) {
  return h('tr', { 'data-testid': 'job-row', 'data-job': job.id },
    h('td', {}, h('a', { href: `#/jobs/${job.id}` }, job.id)),
    h('td', {}, job.name),
    h('td', {}, badge(job.runtimeStatus)),
    h('td', {}, time(job.createdTime)),
    h('td', { class: 'num' }, duration(job.durationMs)),
    h('td', { class: 'num' }, `${count(job.succeededTasks)} / ${count(job.tasks)}`));
}
