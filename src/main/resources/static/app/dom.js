// Small helpers to build the pages without a framework.

/** An element: h('div.tile', {title: 'x'}, child, 'text'). */
export function h(tag, attributes = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const element = document.createElement(name);
  if (classes.length) element.className = classes.join(' ');
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.substring(2), value);
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function hex(n) {
  return n === null || n === undefined ? '' : '0x' + Number(n).toString(16).toUpperCase().padStart(8, '0');
}

export function bytes(n) {
  if (n === null || n === undefined) return '';
  if (n >= 1048576) return (n / 1048576).toFixed(1) + ' MiB';
  if (n >= 1024) return (n / 1024).toFixed(1) + ' KiB';
  return n + ' B';
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return ms + ' ms';
  const s = ms / 1000;
  return s < 60 ? s.toFixed(1) + ' s' : Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** A labelled form field: <label>Text <input ...></label>. */
export function field(label, input) {
  return h('label.field', {}, h('span', {}, label), input);
}
