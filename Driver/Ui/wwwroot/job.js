import { api, poll, h, badge, duration, bytes, time, count, terminal } from './api.js';

// A job: its stages with progress bars and its task table, refreshed every second while it runs.
export function renderJob(app, id) {
  const header = h('div');
  const stages = h('tbody');
  const tasks = h('tbody');
  const stageFilter = h('select', { 'data-testid': 'stage-filter', onchange: () => refresh() }, h('option', { value: '' }, 'all stages'));
  const logs = h('div', { 'data-testid': 'logs-panel' });
  const error = h('p', { class: 'error' });
  let lastTasks = [];
  app.append(header, error,
    h('h2', {}, 'Stages'),
    h('table', { 'data-testid': 'stages' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Stage'), h('th', {}, 'Description'), h('th', {}, 'Status'), h('th', {}, 'Tasks: succeeded / total'),
        h('th', { class: 'num' }, 'Records in'), h('th', { class: 'num' }, 'Bytes in'), h('th', { class: 'num' }, 'Records out'), h('th', { class: 'num' }, 'Bytes out'),
        h('th', { class: 'num' }, 'Duration'))),
      stages),
    h('h2', {}, 'Tasks ', stageFilter),
    h('table', { 'data-testid': 'tasks' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Stage'), h('th', { class: 'num' }, 'Partition'), h('th', { class: 'num' }, 'Attempt'), h('th', {}, 'Status'),
        h('th', {}, 'Executor'), h('th', { class: 'num' }, 'Duration'), h('th', { class: 'num', title: 'How long the executor\'s garbage collector paused it while the task ran' }, 'GC time'), h('th', { class: 'num' }, 'Records in'), h('th', { class: 'num' }, 'Bytes in'),
        h('th', { class: 'num' }, 'Records out'), h('th', { class: 'num' }, 'Bytes out'), h('th', {}, 'Error'), h('th', {}, ''))),
      tasks),
    logs);

  let stopped = false, stopPolling = null;
  const refresh = async () => {
    const [job, taskRows] = await Promise.all([api(`/api/jobs/${id}`), api(`/api/jobs/${id}/tasks`)]);
    error.textContent = '';
    lastTasks = taskRows;
    header.replaceChildren(...jobHeader(job, () => cancel(id, error)));
    stages.replaceChildren(...job.stages.map(s => stageRow(s, lastTasks.filter(t => t.stage === s.id))));
    const wanted = stageFilter.value;
    if (stageFilter.options.length !== job.stages.length + 1)
      stageFilter.replaceChildren(h('option', { value: '' }, 'all stages'), ...job.stages.map(s => h('option', { value: s.id }, `stage ${s.id}`)));
    stageFilter.value = wanted;
    tasks.replaceChildren(...lastTasks.filter(t => wanted === '' || String(t.stage) === wanted).map(t => taskRow(t, () => showLogs(id, t, logs))));
    if (terminal(job.runtimeStatus) && !stopped) { stopped = true; stopPolling?.(); }
  };
  stopPolling = poll(refresh, 1000, e => { error.textContent = e.message; });
  return () => { stopped = true; stopPolling(); };
}

function jobHeader(job, onCancel) {
  const end = job.completedTime ? new Date(job.completedTime) : new Date();
  return [
    h('h1', {}, job.name, ' ', badge(job.runtimeStatus)),
    h('div', { class: 'meta' },
      h('span', {}, 'Job ', h('code', { 'data-testid': 'job-id' }, job.id)),
      h('span', {}, 'Submitted ', time(job.createdTime)),
      h('span', { 'data-testid': 'job-duration' }, 'Duration ', duration(end - new Date(job.createdTime))),
      h('span', {}, `Records in ${count(job.metrics.recordsIn)}, out ${count(job.metrics.recordsOut)}`),
      Object.keys(job.accumulators).length ? h('span', {}, 'Accumulators ', Object.entries(job.accumulators).map(([k, v]) => `${k} = ${v}`).join(', ')) : null,
      terminal(job.runtimeStatus) ? null : h('button', { onclick: onCancel, 'data-testid': 'cancel' }, 'Cancel')),
    job.error ? h('p', { class: 'error', 'data-testid': 'job-error' }, job.error) : null,
  ].filter(Boolean);
}

// The bar: committed tasks, then those an executor reports running, then those waiting on the queue.
function stageRow(stage, tasks) {
  const running = tasks.filter(t => t.status === 'running').length;
  const queued = Math.max(0, stage.active - running);
  const share = n => stage.numTasks ? n / stage.numTasks * 100 : 0;
  const done = stage.numTasks ? share(stage.succeeded) : 100;
  const active = share(running);
  const took = stage.startedTime ? (stage.completedTime ? new Date(stage.completedTime) : new Date()) - new Date(stage.startedTime) : null;
  return h('tr', { 'data-testid': 'stage-row', 'data-stage': stage.id },
    h('td', {}, stage.attempt ? `${stage.id} (attempt ${stage.attempt})` : stage.id),
    h('td', {}, stage.name),
    h('td', {}, badge(stage.status)),
    h('td', {},
      h('span', { class: 'progress' }, h('span', { class: 'done', style: `width:${done}%` }), h('span', { class: 'active', style: `left:${done}%;width:${active}%` }),
        h('span', { class: 'queued', style: `left:${done + active}%;width:${share(queued)}%` })),
      h('span', { class: 'progress-label', 'data-testid': 'stage-progress' }, `${stage.succeeded} / ${stage.numTasks}`),
      h('span', { class: 'muted' }, [running ? `${running} running` : '', queued ? `${queued} queued` : '', stage.failedAttempts ? `${stage.failedAttempts} failed` : '']
        .filter(Boolean).map(s => ' ' + s).join(','))),
    h('td', { class: 'num' }, count(stage.metrics.recordsIn)),
    h('td', { class: 'num' }, bytes(stage.metrics.bytesIn)),
    h('td', { class: 'num' }, count(stage.metrics.recordsOut)),
    h('td', { class: 'num' }, bytes(stage.metrics.bytesOut)),
    h('td', { class: 'num' }, duration(took)));
}

function taskRow(task, onLogs) {
  const firstLine = task.error ? `${task.error.type.split('.').pop()}: ${task.error.message}`.split('\n')[0] : '';
  return h('tr', { 'data-testid': 'task-row', 'data-stage': task.stage, 'data-partition': task.partition, 'data-status': task.status },
    h('td', {}, task.stage), h('td', { class: 'num' }, task.partition), h('td', { class: 'num' }, task.attempt),
    h('td', {}, badge(task.status)),
    h('td', { 'data-testid': 'task-executor' }, task.executorId ?? ''),
    h('td', { class: 'num' }, duration(task.durationMs)),
    h('td', { class: 'num', 'data-testid': 'task-gc' }, duration(task.metrics?.gcPauseMs)),
    h('td', { class: 'num' }, count(task.recordsIn)), h('td', { class: 'num' }, bytes(task.bytesIn)),
    h('td', { class: 'num' }, count(task.recordsOut)), h('td', { class: 'num' }, bytes(task.bytesOut)),
    h('td', { class: 'error', title: task.error ? `${task.error.type}: ${task.error.message}\n${task.error.stackTrace ?? ''}` : '' }, firstLine),
    h('td', {}, task.attempts.length || task.status === 'succeeded' ? h('button', { onclick: onLogs, 'data-testid': 'logs-button' }, 'logs') : null));
}

async function showLogs(id, task, panel) {
  panel.replaceChildren(h('h2', {}, `Logs of stage ${task.stage}, partition ${task.partition}`), h('p', { class: 'muted' }, 'Loading...'));
  try {
    const logs = await api(`/api/jobs/${id}/logs?stage=${task.stage}&partition=${task.partition}`);
    panel.replaceChildren(h('h2', {}, `Logs of stage ${task.stage}, partition ${task.partition}`),
      ...(logs.length ? logs.map(l => h('pre', { class: 'log', 'data-testid': 'task-log' }, l.text)) : [h('p', { class: 'muted' }, 'No attempt has logged yet.')]));
  } catch (e) {
    panel.replaceChildren(h('p', { class: 'error' }, e.message));
  }
}

async function cancel(id, error) {
  try { await api(`/api/jobs/${id}/cancel`, { method: 'POST' }); } catch (e) { error.textContent = e.message; }
}
