// The live event stream (GET /api/v1/events): reconnects by itself (EventSource does, and we
// start over when it gives up) and tells listeners whether it is connected. Each connect begins
// with a fresh snapshot of every port and the station.

import { api } from './api.js';

const listeners = { port: [], job: [], station: [], connection: [] };
let source = null;

export function on(type, listener) {
  listeners[type].push(listener);
}

function emit(type, data) {
  listeners[type].forEach(listener => listener(data));
}

export function connect() {
  if (source) source.close();
  source = new EventSource('/api/v1/events');
  source.onopen = () => emit('connection', true);
  source.onerror = () => {
    emit('connection', false);
    if (source.readyState === EventSource.CLOSED) {
      // The browser gave up (e.g. the session ended: 401): /me sends a signed-out user to the login page.
      setTimeout(() => api('/me').then(connect, connect), 3000);
    }
  };
  for (const type of ['port', 'job', 'station']) {
    source.addEventListener(type, event => emit(type, JSON.parse(event.data)));
  }
}
