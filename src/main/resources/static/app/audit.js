// The latest audit records and the CSV export.
import { api, describe } from './api.js';
import { h, time } from './dom.js';

const SHOWN = 100;
const PAGE = 1000;

export async function auditPage() {
  const body = h('div.results');
  const records = [];
  let cursor = 0;
  try {
    // The API reads forward from a cursor; keep the newest of what it returns.
    for (let i = 0; i < 50; i++) {
      const page = await api(`/audit?after=${cursor}&limit=${PAGE}`);
      records.push(...page.records);
      records.splice(0, Math.max(0, records.length - SHOWN));
      if (page.records.length < PAGE) break;
      cursor = page.next;
    }
    records.reverse();
    body.replaceChildren(h('table', {},
        h('thead', {}, h('tr', {}, ['Seq', 'Type', 'Recorded', 'Port', 'Job', 'Serial number', 'Result', 'Error', 'Actor', 'Detail']
            .map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, records.map(r => h('tr', {},
            h('td', {}, r.seq), h('td', {}, r.type), h('td', {}, time(r.recordedAt)), h('td', {}, r.port || ''),
            h('td', {}, r.jobId ? h('a', { href: '#/jobs/' + r.jobId }, '#' + r.jobId) : ''),
            h('td', {}, r.serialNumber || ''), h('td', {}, r.result || ''),
            h('td', {}, r.errorCode ? `${r.errorCode}: ${r.errorMessage || ''}` : ''),
            h('td', {}, r.actor || ''), h('td', {}, r.detail || ''))))));
  } catch (error) {
    body.replaceChildren(h('p.error', { role: 'alert' }, describe(error)));
  }
  return { element: h('section', {}, h('h1', {}, 'Audit'),
      h('p', {}, h('a.button', { href: '/api/v1/audit.csv?after=0&limit=1000', download: 'audit.csv' }, 'Export CSV (first 1000 records)')),
      body) };
}
