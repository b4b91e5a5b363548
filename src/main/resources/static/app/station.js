// The station view: one tile per port, live from the event stream, and the day's numbers above.
import { api } from './api.js';
import { h, bytes, duration } from './dom.js';
import * as live from './live.js';
import { shiftChart } from './chart.js';

/** Port state → what the tile says, its icon and its colour class (never colour alone). */
const STATES = {
  EMPTY: ['empty', '○', 'empty'],
  DEVICE_PRESENT: ['board present', '◉', 'present'],
  QUEUED: ['queued', '⏳', 'queued'],
  FLASHING: ['running', '⟳', 'running'],
  PASSED: ['passed', '✔', 'passed'],
  FAILED: ['failed', '✖', 'failed'],
  DONE_WAITING_REMOVAL: ['remove the board', '⏏', 'waiting'],
  DISABLED: ['disabled', '⊘', 'disabled'],
};

const ports = new Map();
const jobs = new Map();
const tiles = new Map();
let grid = null;
let summary = null;
let station = null;
let listening = false;
let statsTimer = null;

export async function stationPage() {
  grid = h('section.tiles', { 'aria-label': 'Ports' });
  summary = h('section.summary', { 'aria-label': 'Today' });
  tiles.clear();
  [...ports.values()].forEach(renderPort);
  if (!listening) {
    listening = true;
    live.on('port', port => { ports.set(port.path, port); renderPort(port); });
    live.on('job', job => {
      jobs.set(job.id, job);
      const port = ports.get(job.port);
      if (port) renderPort(port);
      if (['PASSED', 'FAILED'].includes(job.state)) scheduleStats();
    });
    live.on('station', settings => { station = settings; renderSummary(); });
  }
  renderSummary();
  const timer = setInterval(() => tiles.forEach((tile, path) => renderPort(ports.get(path))), 1000);
  return { element: h('div.station', {}, summary, grid), leave: () => clearInterval(timer) };
}

function scheduleStats() {
  clearTimeout(statsTimer);
  statsTimer = setTimeout(renderSummary, 1000);
}

async function renderSummary() {
  if (!summary) return;
  const [stats, health, recipe] = await Promise.all([
    api('/stats').catch(() => null),
    fetch('/actuator/health', { headers: { Accept: 'application/json' } }).then(r => r.json()).catch(() => null),
    station && station.defaultRecipeId ? api('/recipes/' + station.defaultRecipeId).catch(() => null) : null,
  ]);
  const firmware = recipe ? await api('/firmware/' + recipe.firmwareId).catch(() => null) : null;
  const sources = health && health.components && health.components.deviceSources;
  const sourceText = sources ? Object.entries(sources.details || {})
      .map(([name, s]) => `${name}: ${s.status}${s.reason ? ' (' + s.reason + ')' : ''}`).join(', ') || sources.status
      : 'unknown';
  const figure = (label, value, extra = '') => h('div.figure' + extra, {}, h('span.value', {}, value), h('span.label', {}, label));
  summary.replaceChildren(
      figure('passed today', stats ? stats.passed : '–', '.ok'),
      figure('failed today', stats ? stats.failed : '–', '.bad'),
      figure('yield', stats && stats.yield !== null ? (stats.yield * 100).toFixed(1) + ' %' : '–'),
      figure('boards / hour', stats ? stats.boardsLastHour : '–'),
      figure('recipe', recipe ? recipe.name : 'none'),
      figure('firmware', firmware ? `${firmware.name} ${firmware.version || ''}` : '–'),
      figure('device source', sourceText, sources && sources.status === 'UP' ? '.ok' : '.bad'),
      stats ? shiftChart(stats.hours) : '');
}

function renderPort(port) {
  if (!port || !grid) return;
  let tile = tiles.get(port.path);
  if (!tile) {
    tile = h('article.tile', { tabindex: '0', dataset: { port: port.path } });
    tiles.set(port.path, tile);
    // The fixture's order: the station lists ports by path, slots sort by their number.
    const after = [...tiles.keys()].filter(p => p !== port.path)
        .sort(byPath).find(p => byPath(p, port.path) > 0);
    grid.insertBefore(tile, after ? tiles.get(after) : null);
  }
  const [text, icon, kind] = STATES[port.state] || [port.state, '?', 'empty'];
  const job = jobs.get(port.currentJobId) || null;
  const last = port.lastJobId ? jobs.get(port.lastJobId) : null;
  if (port.lastJobId && !last) {
    api('/jobs/' + port.lastJobId).then(j => { jobs.set(j.id, j); renderPort(ports.get(port.path)); }).catch(() => {});
  }
  tile.className = 'tile ' + kind;
  tile.dataset.state = port.state;
  tile.dataset.job = port.currentJobId || '';
  tile.setAttribute('aria-label', `${port.label}: ${text}`);
  const done = job ? job.bytesDone : 0;
  const total = job ? job.bytesTotal : 0;
  const elapsed = job && job.startedAt ? Date.now() - Date.parse(job.startedAt) : null;
  tile.replaceChildren(
      h('header', {}, h('span.label', {}, port.label), h('span.path', {}, port.path)),
      h('div.state', {}, h('span.icon', { 'aria-hidden': 'true' }, icon), h('span.text', {}, text)),
      h('div.phase', {}, job ? (job.phase || job.state) : (port.reason || ' ')),
      h('progress', { max: total || 1, value: done, 'aria-label': 'bytes written' }),
      h('div.numbers', {}, job ? `${bytes(done)} / ${bytes(total)}` : '', job && elapsed !== null ? ' · ' + duration(elapsed) : ''),
      h('dl', {},
          h('dt', {}, 'serial'), h('dd.serial', {}, (job || last || {}).serialNumber || '–'),
          h('dt', {}, 'chip UID'), h('dd.uid', {}, port.device ? port.device.uid || '–' : '–')),
      h('div.last', {}, last ? lastResult(last) : 'no job yet'));
}

function lastResult(job) {
  const text = `#${job.id} ${job.state}` + (job.durationMs !== null ? ` in ${duration(job.durationMs)}` : '');
  return h('a', { href: '#/jobs/' + job.id }, text,
      job.error ? h('span.error', {}, ` ${job.error.code}: ${job.error.message || ''}`) : '');
}

function byPath(a, b) {
  return a.localeCompare(b, undefined, { numeric: true });
}
