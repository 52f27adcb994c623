import { renderJobs } from './jobs.js';
import { renderJob } from './job.js';
import { renderExecutors } from './executors.js';
import { renderSubmit } from './submit.js';

// A hash router: each page renders into #app and returns how to stop its polling.
const routes = [
  [/^#?\/?(?:jobs)?\/?$/, 'jobs', renderJobs],
  [/^#\/jobs\/([0-9a-f-]+)$/, 'jobs', renderJob],
  [/^#\/executors$/, 'executors', renderExecutors],
  [/^#\/submit$/, 'submit', renderSubmit],
];
let stop = null;

function route() {
  stop?.();
  stop = null;
  const app = document.getElementById('app');
  app.replaceChildren();
  const hash = location.hash || '#/jobs';
  for (const [pattern, nav, render] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.dataset.nav === nav);
    stop = render(app, ...match.slice(1));
    return;
  }
  app.textContent = `No page ${hash}.`;
}

window.addEventListener('hashchange', route);
route();
