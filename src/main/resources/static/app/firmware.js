// Firmware (upload, list), recipes (create, list), the station's default recipe and auto-start,
// and per-port labels and recipes. Controls are offered only to roles that may use them.
import { api, describe, csrfToken } from './api.js';
import { h, hex, bytes, time, field } from './dom.js';
import { may } from './main.js';

export async function firmwarePage() {
  const [firmware, recipes, station, ports] = await Promise.all([
    api('/firmware'), api('/recipes'), api('/station'), api('/ports')]);
  const catalog = h('div.catalog');
  const showCatalog = (firmware, recipes) => catalog.replaceChildren(firmwareTable(firmware),
      may('ENGINEER') ? recipeForm(firmware) : '', recipeTable(recipes));
  showCatalog(firmware, recipes);
  // A new firmware is listed and offered for a recipe at once.
  const uploaded = async () => showCatalog(await api('/firmware'), await api('/recipes'));
  return { element: h('section.manage', {},
      h('h1', {}, 'Firmware & recipes'),
      may('ENGINEER') ? uploadForm(uploaded) : '',
      catalog,
      stationForm(station, recipes),
      portsTable(ports, recipes, station.defaultRecipeId)) };
}

function result(id) {
  return h('div.result', { id, role: 'status', 'aria-live': 'polite' });
}

function uploadForm(uploaded) {
  const out = result('upload-result');
  const file = h('input', { type: 'file', name: 'file', id: 'firmware-file', accept: '.hex,.ihex,.srec,.s19,.mot,.elf,.bin,.dfu' });
  const drop = h('div.drop', { tabindex: '0', 'aria-label': 'Drop a firmware file here' }, 'Drop a firmware file here, or choose one:', ' ', file);
  const form = h('form.card', { 'aria-labelledby': 'upload-title' },
      h('h2', { id: 'upload-title' }, 'Upload firmware'), drop,
      field('Name', h('input', { name: 'name', maxlength: 200 })),
      field('Version', h('input', { name: 'version', maxlength: 100 })),
      field('Load address (raw .bin only)', h('input', { name: 'baseAddress', placeholder: '0x08000000' })),
      h('button', { type: 'submit' }, 'Upload'), out);
  let dropped = null;
  drop.addEventListener('dragover', event => { event.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', event => {
    event.preventDefault();
    drop.classList.remove('over');
    dropped = event.dataTransfer.files[0] || null;
    if (dropped) drop.firstChild.textContent = `Dropped: ${dropped.name} — `;
    form.requestSubmit();
  });
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const chosen = dropped || file.files[0];
    dropped = null;
    if (!chosen) { out.replaceChildren(h('p.error', { role: 'alert' }, 'Choose a file first.')); return; }
    const body = new FormData();
    body.append('file', chosen);
    for (const name of ['name', 'version']) if (form.elements[name].value) body.append(name, form.elements[name].value);
    const base = form.elements.baseAddress.value.trim();
    if (base) body.append('baseAddress', String(Number(base)));
    const response = await fetch('/api/v1/firmware', { method: 'POST', body, credentials: 'same-origin',
      headers: { 'X-XSRF-TOKEN': csrfToken(), Accept: 'application/json' } });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      out.replaceChildren(h('p.error.upload-error', { role: 'alert' },
          (data.detail || `HTTP ${response.status}`) + (data.location ? ` — at ${data.location}` : '')));
      return;
    }
    out.replaceChildren(h('p.ok', {}, `Firmware #${data.id} ${data.name} ${data.version || ''}: ${data.format}, ${bytes(data.imageBytes)}`),
        segments(data.segments));
    uploaded();
  });
  return form;
}

function segments(list) {
  return h('table.segments', {}, h('caption', {}, 'Segments'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Address'), h('th', { scope: 'col' }, 'Length'), h('th', { scope: 'col' }, 'End'))),
      h('tbody', {}, list.map(s => h('tr', {}, h('td', {}, hex(s.address)), h('td', {}, bytes(s.length)), h('td', {}, hex(s.address + s.length - 1))))));
}

function firmwareTable(firmware) {
  return h('section', {}, h('h2', {}, 'Firmware'), h('table', {},
      h('thead', {}, h('tr', {}, ['#', 'Name', 'Version', 'Format', 'Image', 'Segments', 'Uploaded', 'By'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, firmware.map(f => h('tr', {}, h('td', {}, f.id), h('td', {}, f.name), h('td', {}, f.version || ''),
          h('td', {}, f.format), h('td', {}, bytes(f.imageBytes)),
          h('td', {}, f.segments.map(s => `${hex(s.address)}+${bytes(s.length)}`).join(', ')),
          h('td', {}, time(f.uploadedAt)), h('td', {}, f.uploadedBy || ''))))));
}

function recipeForm(firmware) {
  const out = result('recipe-result');
  const form = h('form.card', { 'aria-labelledby': 'recipe-title' },
      h('h2', { id: 'recipe-title' }, 'New recipe'),
      field('Name', h('input', { name: 'name', maxlength: 200 })),
      field('Firmware', h('select', { name: 'firmwareId' }, h('option', { value: '' }, '—'),
          firmware.map(f => h('option', { value: f.id }, `#${f.id} ${f.name} ${f.version || ''}`)))),
      field('Erase', h('select', { name: 'eraseMode' }, h('option', { value: 'SECTORS' }, 'sectors the image touches'), h('option', { value: 'MASS' }, 'whole flash'))),
      field('Serial record address (optional)', h('input', { name: 'serialAddress', placeholder: '0x0803F800' })),
      field('Serial format', h('input', { name: 'serialFormat', placeholder: 'FL-{seq:06d}' })),
      field('Leave DFU and start the application', h('input', { type: 'checkbox', name: 'leave', checked: true })),
      field('May unprotect (mass-erases a protected chip)', h('input', { type: 'checkbox', name: 'allowUnprotect' })),
      h('button', { type: 'submit' }, 'Create recipe'), out);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const e = form.elements;
    const request = { name: e.name.value, firmwareId: e.firmwareId.value ? Number(e.firmwareId.value) : null,
      eraseMode: e.eraseMode.value, leave: e.leave.checked, allowUnprotect: e.allowUnprotect.checked };
    if (e.serialAddress.value.trim()) {
      request.serial = { address: Number(e.serialAddress.value.trim()), format: e.serialFormat.value, start: 1 };
    }
    try {
      const recipe = await api('/recipes', { method: 'POST', json: request });
      out.replaceChildren(h('p.ok', {}, `Recipe #${recipe.id} ${recipe.name} created.`));
      setTimeout(() => location.reload(), 800);
    } catch (error) {
      out.replaceChildren(h('p.error', { role: 'alert' }, describe(error)));
    }
  });
  return form;
}

function recipeTable(recipes) {
  return h('section', {}, h('h2', {}, 'Recipes'), h('table', {},
      h('thead', {}, h('tr', {}, ['#', 'Name', 'Firmware', 'Erase', 'Serial', 'Created', 'By'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, recipes.map(r => h('tr', {}, h('td', {}, r.id), h('td', {}, r.name), h('td', {}, '#' + r.firmwareId),
          h('td', {}, r.eraseMode), h('td', {}, r.serial ? `${r.serial.format} @ ${hex(r.serial.address)}` : ''),
          h('td', {}, time(r.createdAt)), h('td', {}, r.createdBy || ''))))));
}

function recipeOptions(recipes, selected, none) {
  return [h('option', { value: '' }, none), ...recipes.map(r =>
      h('option', { value: r.id, selected: r.id === selected }, `#${r.id} ${r.name}`))];
}

function stationForm(station, recipes) {
  const out = result('station-result');
  const editable = may('ENGINEER');
  const form = h('form.card', { 'aria-labelledby': 'station-title' },
      h('h2', { id: 'station-title' }, `Station ${station.id}`),
      field('Default recipe', h('select', { name: 'defaultRecipeId', disabled: !editable }, recipeOptions(recipes, station.defaultRecipeId, 'none'))),
      field('Auto-start a board that arrives', h('input', { type: 'checkbox', name: 'autoStart', checked: station.autoStart, disabled: !editable })),
      editable ? h('button', { type: 'submit' }, 'Save station') : '', out);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const e = form.elements;
    try {
      const saved = await api('/station', { method: 'PUT',
        json: { defaultRecipeId: e.defaultRecipeId.value ? Number(e.defaultRecipeId.value) : null, autoStart: e.autoStart.checked } });
      out.replaceChildren(h('p.ok', {}, `Saved: default recipe ${saved.defaultRecipeId ?? 'none'}, auto-start ${saved.autoStart ? 'on' : 'off'}.`));
    } catch (error) {
      out.replaceChildren(h('p.error', { role: 'alert' }, describe(error)));
    }
  });
  return form;
}

function portsTable(ports, recipes, stationDefault) {
  return h('section', {}, h('h2', {}, 'Ports'), h('table.ports', {},
      h('thead', {}, h('tr', {}, ['Port', 'Label', 'Recipe', ''].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ports.map(port => portRow(port, recipes, stationDefault)))));
}

function portRow(port, recipes, stationDefault) {
  const label = h('input', { value: port.label, 'aria-label': `Label of ${port.path}`, disabled: !may('OPERATOR') });
  const recipe = h('select', { 'aria-label': `Recipe of ${port.path}`, disabled: !may('ENGINEER') },
      // A port that uses the station default shows "station default", so saving its label keeps it following the default.
      recipeOptions(recipes, port.recipeId === stationDefault ? null : port.recipeId, 'station default'));
  const out = h('span.result', { role: 'status' });
  const save = async () => {
    try {
      if (may('ENGINEER')) {
        await api(`/ports/${port.path}`, { method: 'PUT', json: { label: label.value, recipeId: recipe.value ? Number(recipe.value) : null } });
      } else {
        await api(`/ports/${port.path}/label`, { method: 'PUT', json: { label: label.value } });
      }
      out.textContent = 'saved';
    } catch (error) {
      out.textContent = describe(error);
    }
  };
  return h('tr', {}, h('th', { scope: 'row' }, port.path), h('td', {}, label), h('td', {}, recipe),
      h('td', {}, may('OPERATOR') ? h('button', { type: 'button', onclick: save }, 'Save') : '', out));
}
