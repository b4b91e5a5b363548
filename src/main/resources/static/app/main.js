// The dashboard's shell: who is signed in (their roles decide which controls are offered), the
// pages behind the hash routes, the connection state of the live stream, large-screen mode.
import { api, csrfToken } from './api.js';
import * as live from './live.js';
import { stationPage } from './station.js';
import { jobsPage, jobPage } from './jobs.js';
import { firmwarePage } from './firmware.js';
import { auditPage } from './audit.js';

const session = { actor: null, roles: new Set() };

/** Whether the signed-in user holds {@code role} (roles include the ones below them). */
export function may(role) {
  return session.roles.has(role);
}

const routes = [
  [/^#?\/?$/, 'station', () => stationPage()],
  [/^#\/jobs\/(\d+)$/, 'jobs', match => jobPage(Number(match[1]))],
  [/^#\/jobs$/, 'jobs', () => jobsPage()],
  [/^#\/firmware$/, 'firmware', () => firmwarePage()],
  [/^#\/audit$/, 'audit', () => auditPage()],
];

let leave = null;

async function route() {
  const page = document.getElementById('page');
  for (const [pattern, name, render] of routes) {
    const match = location.hash.match(pattern);
    if (match) {
      if (leave) leave();
      leave = null;
      document.querySelectorAll('nav a').forEach(a =>
          a.toggleAttribute('aria-current', a.dataset.page === name));
      page.replaceChildren();
      const shown = await render(match);
      page.replaceChildren(shown.element);
      leave = shown.leave || null;
      return;
    }
  }
  location.hash = '#/';
}

function largeScreen(on) {
  document.body.classList.toggle('large', on);
  document.getElementById('large-screen').setAttribute('aria-pressed', String(on));
  localStorage.setItem('flashline.large', on ? '1' : '');
}

async function start() {
  const me = await api('/me');
  session.actor = me.actor;
  session.roles = new Set(me.roles);
  document.getElementById('who').textContent = me.actor;
  document.getElementById('sign-out').addEventListener('submit', async event => {
    event.preventDefault();
    await fetch('/logout', { method: 'POST', headers: { 'X-XSRF-TOKEN': csrfToken() }, credentials: 'same-origin' });
    location.href = '/login?logout';
  });
  const toggle = document.getElementById('large-screen');
  toggle.addEventListener('click', () => largeScreen(!document.body.classList.contains('large')));
  largeScreen(Boolean(localStorage.getItem('flashline.large')));
  const connection = document.getElementById('connection');
  live.on('connection', up => {
    connection.textContent = up ? 'live' : 'disconnected — reconnecting…';
    connection.classList.toggle('down', !up);
  });
  live.connect();
  window.addEventListener('hashchange', route);
  await route();
}

start();
