// The station view: one tile per port, live from the event stream, and the day's numbers above;
// above them the yield guard's pause (with its Enable action) and the active work order.
import { api, describe } from './api.js';
import { h, bytes, duration, time } from './dom.js';
import * as live from './live.js';
import { shiftChart } from './chart.js';
import { may } from './main.js';
import { workOrderPanel } from './workorder.js';

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
let banner = null;
let workOrder = null;
let station = null;
let listening = false;
let statsTimer = null;

export async function stationPage() {
  grid = h('section.tiles', { 'aria-label': 'Ports' });
  summary = h('section.summary', { 'aria-label': 'Today' });
  banner = h('div.banners', { 'aria-live': 'polite' });
  workOrder = workOrderPanel();
  tiles.clear();
  [...ports.values()].forEach(renderPort);
  if (!listening) {
    listening = true;
    live.on('port', port => { ports.set(port.path, port); renderPort(port); });
    live.on('job', job => {
      jobs.set(job.id, job);
      const port = ports.get(job.port);
      if (port) renderPort(port);
      if (['PASSED', 'FAILED'].includes(job.state)) {
        scheduleStats();
        if (workOrder) workOrder.jobFinished();
      }
    });
    live.on('station', settings => {
      station = settings;
      renderSummary();
      renderBanner();
      if (workOrder) workOrder.show(settings.activeWorkOrderId);
    });
  }
  renderSummary();
  renderBanner();
  if (station) workOrder.show(station.activeWorkOrderId);
  // Only running jobs change by the second (their elapsed time); other tiles, and their buttons,
  // are redrawn when an event changes them.
  const timer = setInterval(() => tiles.forEach((tile, path) => {
    const port = ports.get(path);
    if (port && port.currentJobId) renderPort(port);
  }), 1000);
  return {
    element: h('div.station', {}, banner, workOrder.element, summary, grid),
    leave: () => clearInterval(timer),
  };
}

/** The yield guard's pause: why and since when, and for OPERATOR and above the action that ends it. */
function renderBanner() {
  if (!banner) return;
  const paused = station && station.autoStartPaused;
  if (!paused) {
    banner.replaceChildren();
    return;
  }
  const message = h('span.banner-error');
  const enable = may('OPERATOR') ? h('button.enable-auto-start', {
    type: 'button',
    onclick: async () => {
      enable.disabled = true;
      message.textContent = '';
      try {
        station = await api('/station/enable', { method: 'POST' });
        renderBanner();
      } catch (error) {
        message.textContent = describe(error);
        enable.disabled = false;
      }
    },
  }, 'Enable auto-start') : null;
  banner.replaceChildren(h('section.banner.paused', { id: 'auto-start-paused', role: 'alert' },
      h('span.icon', { 'aria-hidden': 'true' }, '‖'),
      h('div', {},
          h('strong', {}, 'Auto-start paused'),
          h('span.reason', {}, ` ${paused.reason}`),
          h('span.since', {}, paused.since ? ` (since ${time(paused.since)})` : ''),
          h('div.hint', {}, 'Arriving boards wait; jobs started by hand still run.')),
      enable, message));
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
      h('div.phase', {}, job ? (job.phase || job.state) : ' '),
      // Why the port is as it is (interlocked, a board waiting, a failed job's code): always shown.
      port.reason ? h('p.reason', {}, port.reason) : '',
      port.state === 'DISABLED' && may('OPERATOR') ? enableButton(port) : '',
      h('progress', { max: total || 1, value: done, 'aria-label': 'bytes written' }),
      h('div.numbers', {}, job ? `${bytes(done)} / ${bytes(total)}` : '', job && elapsed !== null ? ' · ' + duration(elapsed) : ''),
      h('dl', {},
          h('dt', {}, 'serial'), h('dd.serial', {}, (job || last || {}).serialNumber || '–'),
          h('dt', {}, 'chip UID'), h('dd.uid', {}, port.device ? port.device.uid || '–' : '–')),
      h('div.last', {}, last ? lastResult(last) : 'no job yet'));
}

/** Ends a port's interlock; the tile follows the answer, and the event stream after it. */
function enableButton(port) {
  const message = h('span.error', { role: 'alert' });
  const button = h('button.enable-port', {
    type: 'button',
    'aria-label': `Enable port ${port.label}`,
    onclick: async () => {
      button.disabled = true;
      try {
        const enabled = await api('/ports/' + encodeURIComponent(port.path) + '/enable', { method: 'POST' });
        ports.set(enabled.path, enabled);
        renderPort(enabled);
      } catch (error) {
        message.textContent = describe(error);
        button.disabled = false;
      }
    },
  }, 'Enable');
  return h('div.actions', {}, button, message);
}

function lastResult(job) {
  const text = `#${job.id} ${job.state}` + (job.durationMs !== null ? ` in ${duration(job.durationMs)}` : '');
  return h('a', { href: '#/jobs/' + job.id }, text,
      job.error ? h('span.error', {}, ` ${job.error.code}: ${job.error.message || ''}`) : '');
}

function byPath(a, b) {
  return a.localeCompare(b, undefined, { numeric: true });
}
