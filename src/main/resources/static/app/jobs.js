// The jobs list (filtered, paged) and one job's detail with its phase timeline.
import { api, describe } from './api.js';
import { h, hex, duration, time, bytes, field } from './dom.js';
import { may } from './main.js';

const STATES = ['', 'QUEUED', 'RUNNING', 'PASSED', 'FAILED', 'CANCELLED', 'INTERRUPTED'];
const filters = { state: '', port: '', usbSerial: '', serialNumber: '', from: '', to: '', page: 0 };

export async function jobsPage() {
  const table = h('div.results');
  const form = h('form.filters', { 'aria-label': 'Job filters' },
      field('State', h('select', { name: 'state' }, STATES.map(s => h('option', { value: s }, s || 'any')))),
      field('Port', h('input', { name: 'port', placeholder: 'sim-3' })),
      field('USB serial', h('input', { name: 'usbSerial' })),
      field('Serial number', h('input', { name: 'serialNumber' })),
      field('Queued from', h('input', { name: 'from', type: 'datetime-local' })),
      field('Queued to', h('input', { name: 'to', type: 'datetime-local' })),
      h('button', { type: 'submit' }, 'Filter'));
  for (const [name, value] of Object.entries(filters)) {
    if (form.elements[name]) form.elements[name].value = value;
  }
  form.addEventListener('submit', event => {
    event.preventDefault();
    for (const name of Object.keys(filters)) {
      if (form.elements[name]) filters[name] = form.elements[name].value.trim();
    }
    filters.page = 0;
    load(table);
  });
  await load(table);
  return { element: h('section', {}, h('h1', {}, 'Jobs'), form, table) };
}

async function load(table) {
  const query = new URLSearchParams({ page: filters.page, size: 25 });
  for (const name of ['state', 'port', 'usbSerial', 'serialNumber']) {
    if (filters[name]) query.set(name, filters[name]);
  }
  for (const name of ['from', 'to']) {
    if (filters[name]) query.set(name, new Date(filters[name]).toISOString());
  }
  try {
    const page = await api('/jobs?' + query);
    const rows = page.items.map(job => h('tr', { class: 'job ' + job.state.toLowerCase() },
        h('td', {}, h('a', { href: '#/jobs/' + job.id }, '#' + job.id)),
        h('td', {}, job.state), h('td', {}, job.port), h('td', {}, job.usbSerial || ''),
        h('td', {}, job.serialNumber || ''), h('td', {}, time(job.queuedAt)),
        h('td', {}, duration(job.durationMs)), h('td', {}, job.error ? job.error.code : '')));
    const pager = h('nav.pager', { 'aria-label': 'Pages of jobs' },
        h('button', { type: 'button', disabled: filters.page === 0,
          onclick: () => { filters.page--; load(table); } }, '← newer'),
        h('span', {}, `page ${page.page + 1} of ${Math.max(1, page.totalPages)} (${page.totalElements} jobs)`),
        h('button', { type: 'button', disabled: page.page + 1 >= page.totalPages,
          onclick: () => { filters.page++; load(table); } }, 'older →'));
    table.replaceChildren(h('table', {},
        h('thead', {}, h('tr', {}, ['Job', 'State', 'Port', 'USB serial', 'Serial number', 'Queued', 'Duration', 'Error']
            .map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows)), pager);
  } catch (error) {
    table.replaceChildren(h('p.error', { role: 'alert' }, describe(error)));
  }
}

export async function jobPage(id) {
  const job = await api('/jobs/' + id);
  const [recipe, firmware] = await Promise.all([
    api('/recipes/' + job.recipeId).catch(() => null),
    api('/firmware/' + job.firmwareId).catch(() => null)]);
  const total = job.phases.reduce((sum, p) => sum + p.durationMs, 0) || 1;
  const timeline = h('ol.timeline', { 'aria-label': 'Phases' }, job.phases.map(p =>
      h('li', { style: `flex-grow: ${Math.max(p.durationMs, total / 50)}`, title: `${p.name} ${duration(p.durationMs)}` },
          h('span', {}, p.name + (p.attempt > 1 ? ` (attempt ${p.attempt})` : '')),
          h('span.duration', {}, duration(p.durationMs)))));
  const row = (label, value) => [h('dt', {}, label), h('dd', {}, value === null || value === undefined ? '–' : value)];
  const cancel = may('OPERATOR') && ['QUEUED', 'RUNNING'].includes(job.state)
      ? h('button', { type: 'button', onclick: async () => { await api(`/jobs/${id}/cancel`, { method: 'POST' }); location.reload(); } }, 'Cancel job')
      : '';
  return { element: h('section.job-detail', {},
      h('h1', {}, `Job #${job.id} — ${job.state}`), cancel,
      job.error ? h('p.error', { role: 'alert' }, `${job.error.code}: ${job.error.message || ''}`,
          job.error.firstMismatchAddress !== null ? ` — first mismatch at ${hex(job.error.firstMismatchAddress)}` : '') : '',
      timeline,
      h('dl.facts', {},
          row('Port', job.port), row('USB serial', job.usbSerial), row('Chip UID', job.uid),
          row('Serial number', job.serialNumber),
          row('Firmware', firmware ? `${firmware.name} ${firmware.version || ''} (${job.firmwareSha256.substring(0, 12)}…)` : job.firmwareSha256),
          row('Recipe', recipe ? `${recipe.name} (#${recipe.id})` : '#' + job.recipeId),
          row('Started by', job.startedBy), row('Cancelled by', job.cancelledBy),
          row('Queued', time(job.queuedAt)), row('Started', time(job.startedAt)), row('Finished', time(job.finishedAt)),
          row('Duration', duration(job.durationMs)), row('Bytes', `${bytes(job.bytesDone)} / ${bytes(job.bytesTotal)}`),
          row('Attempt', job.attempt)),
      h('p', {}, h('a', { href: '#/jobs' }, '← all jobs'))) };
}
