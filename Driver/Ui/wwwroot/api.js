// The API as the pages call it: with the key the page was opened with (/?code=KEY), kept for the session.
const key = new URLSearchParams(location.search).get('code') ?? sessionStorage.getItem('spark-key');
if (key) sessionStorage.setItem('spark-key', key);

export class ApiError extends Error {
  constructor(message, status, body) { super(message); this.status = status; this.body = body; }
}

export async function api(path, options = {}) {
  const headers = { ...(options.headers ?? {}) };
  if (key) headers['x-functions-key'] = key;
  let response;
  try {
    response = await fetch(path, { ...options, headers });
  } catch (e) {
    connection(false);
    throw new ApiError(`The driver cannot be reached: ${e.message}`, 0, null);
  }
  connection(true);
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  if (!response.ok) throw new ApiError(body?.error ?? `${response.status} ${response.statusText}`, response.status, body);
  return body;
}

function connection(ok) {
  const dot = document.getElementById('connection');
  if (dot) dot.className = 'connection ' + (ok ? 'ok' : 'down');
}

// Runs fn now and every ms until stopped; a failure shows in the page and the polling goes on.
export function poll(fn, ms, onError) {
  let stopped = false, timer = null;
  const tick = async () => {
    try { await fn(); } catch (e) { onError?.(e); }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}

// A small element builder: h('td', { class: 'num' }, text or nodes...).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const badge = status => h('span', { class: `badge ${status}`, 'data-status': status }, status);

export function duration(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor(s / 60) % 60} min`;
}

export function bytes(n) {
  if (!n) return '0 B';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  const i = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1024)));
  return `${(n / 1024 ** i).toFixed(i ? 1 : 0)} ${units[i]}`;
}

export const count = n => (n ?? 0).toLocaleString('en-US');

export const time = iso => iso ? new Date(iso).toLocaleString('en-GB', { hour12: false }) : '';

export const terminal = status => ['completed', 'failed', 'canceled'].includes(status);
