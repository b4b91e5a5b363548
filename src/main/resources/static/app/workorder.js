// The station's active work order (GET /api/v1/station → activeWorkOrderId, then
// GET /api/v1/work-orders/{id}): number, product, lot, passed / quantity and failed, and COMPLETE
// prominently, because then no new job starts until the next work order is activated. Without an
// active work order — the field absent or null, or the endpoint answering 404 (a service without
// work orders) — it says so.
import { api, describe } from './api.js';
import { h } from './dom.js';

/** The panel: {element, show(id), jobFinished()}; it reloads the work order when a job finishes. */
export function workOrderPanel() {
  const element = h('section.card.workorder', { id: 'work-order', 'aria-labelledby': 'work-order-title' });
  let current = null;
  let timer = null;
  let generation = 0;

  async function load() {
    const mine = ++generation;
    if (current === null || current === undefined) {
      render(null);
      return;
    }
    try {
      const order = await api('/work-orders/' + encodeURIComponent(current));
      if (mine === generation) render(order);
    } catch (error) {
      if (mine !== generation) return;
      if (error.status === 404) render(null);
      else render(null, describe(error));
    }
  }

  function render(order, problem) {
    const title = h('h2', { id: 'work-order-title' }, 'Work order');
    if (!order) {
      element.className = 'card workorder none';
      element.replaceChildren(title, h('p.none', {}, 'no active work order'),
          problem ? h('p.error', { role: 'alert' }, problem) : '');
      element.dataset.state = '';
      return;
    }
    const complete = order.state === 'COMPLETE';
    element.className = 'card workorder' + (complete ? ' complete' : '');
    element.dataset.state = order.state;
    const fact = (label, value, cls) => h('div.figure' + (cls || ''), {}, h('span.value', {}, value),
        h('span.label', {}, label));
    element.replaceChildren(title,
        fact('number', order.number, '.wo-number'),
        fact('product', order.product, '.wo-product'),
        fact('lot', order.lot, '.wo-lot'),
        fact('passed / quantity', `${order.passed} / ${order.quantity}`, '.wo-count.ok'),
        fact('failed', order.failed, '.wo-failed.bad'),
        h('progress', { max: order.quantity || 1, value: Math.min(order.passed, order.quantity || 0),
          'aria-label': 'work order progress' }),
        complete
            ? h('p.wo-state.complete', { role: 'status' }, h('span', { 'aria-hidden': 'true' }, '✔ '),
                'COMPLETE — no new jobs start; activate the next work order')
            : h('p.wo-state', {}, order.state));
  }

  return {
    element,
    show(id) {
      current = id;
      load();
    },
    /** A job passed or failed: the counts change. Coalesced, as a full fixture finishes many at once. */
    jobFinished() {
      clearTimeout(timer);
      timer = setTimeout(load, 500);
    },
  };
}
