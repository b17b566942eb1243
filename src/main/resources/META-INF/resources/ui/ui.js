// The operator page: polls the application's JSON views (/ui/api/…) and draws them; charts by ECharts.
// Every text from the data goes in through textContent, never as HTML.
'use strict';

const POLL_MS = 2000;
const state = { files: [], nextBefore: null, older: [], selected: null, detail: null, series: null, readings: null,
  overview: null,
  polls: 0, error: null };
window.sensorpipeUi = state; // read by the browser test

const charts = {};
function chart(id) {
  if (!charts[id]) {
    charts[id] = echarts.init(document.getElementById(id));
    // Redrawn every poll: no animation, which would only move the same figures about.
    charts[id].setOption({ animation: false });
  }
  return charts[id];
}

async function view(name, params) {
  const query = new URLSearchParams(Object.entries(params || {}).filter(([, v]) => v !== null && v !== ''));
  // From the origin, never from location.href: an address that carries credentials cannot be fetched.
  const url = new URL('api/' + name + (query.toString() ? '?' + query : ''), location.origin + location.pathname);
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(name + ': HTTP ' + response.status);
  }
  return response.json();
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (className) {
    node.className = className;
  }
  return node;
}

function took(file) {
  if (!file.completed_at) {
    return '';
  }
  const ms = Date.parse(file.completed_at) - Date.parse(file.received_at);
  return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
}

function filters() {
  return { status: document.getElementById('status').value, source: document.getElementById('source').value };
}

function fillSelect(id, values) {
  const select = document.getElementById(id);
  if (select.options.length > 1) {
    return;
  }
  for (const value of values) {
    const option = el('option', value);
    option.value = value;
    select.appendChild(option);
  }
}

function drawFiles() {
  const body = document.querySelector('#files tbody');
  body.replaceChildren();
  for (const file of state.files.concat(state.older)) {
    const row = el('tr');
    row.dataset.id = file.id;
    if (state.selected === file.id) {
      row.className = 'selected';
    }
    row.appendChild(el('td', file.id));
    row.appendChild(el('td', file.file_name));
    row.appendChild(el('td', file.status, 'status-' + file.status));
    row.appendChild(el('td', file.source || ''));
    row.appendChild(el('td', file.rows_total ?? ''));
    row.appendChild(el('td', file.rows_loaded ?? ''));
    row.appendChild(el('td', file.rows_quarantined ?? ''));
    row.appendChild(el('td', took(file)));
    row.appendChild(el('td', file.received_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')));
    row.addEventListener('click', () => select(file.id));
    body.appendChild(row);
  }
  document.getElementById('more').hidden = state.older.length === 0 ? state.nextBefore === null
    : state.olderNext === null;
}

async function pollFiles() {
  const page = await view('files', filters());
  fillSelect('status', page.statuses);
  fillSelect('source', page.sources);
  state.files = page.files;
  if (state.older.length === 0) {
    state.nextBefore = page.next_before;
  }
  drawFiles();
}

async function olderFiles() {
  const last = state.older.length ? state.olderNext : state.nextBefore;
  const page = await view('files', Object.assign(filters(), { before: last }));
  state.older = state.older.concat(page.files);
  state.olderNext = page.next_before;
  drawFiles();
}

function drawOverview(overview) {
  for (const service of ['database', 'broker']) {
    const badge = document.getElementById(service);
    badge.className = 'badge ' + (overview[service].up ? 'up' : 'down');
    badge.title = overview[service].detail;
  }
  const stopped = overview.routes.filter(r => r.status !== 'Started');
  const routes = document.getElementById('routes');
  routes.className = 'badge ' + (stopped.length ? 'down' : 'up');
  routes.textContent = overview.routes.length + ' routes' + (stopped.length ? ', ' + stopped.length + ' not started' : '');
  const list = document.getElementById('route-list');
  list.replaceChildren(...overview.routes.map(r => el('li', r.id + ': ' + r.status)));
  chart('throughput').setOption({
    animation: false,
    tooltip: { trigger: 'axis' }, legend: { data: ['files/min', 'rows/min'] },
    grid: { left: 50, right: 60, top: 30, bottom: 25 },
    xAxis: { type: 'category', data: overview.throughput.map(t => t.minute.substring(11, 16)) },
    yAxis: [{ type: 'value', name: 'files' }, { type: 'value', name: 'rows' }],
    series: [
      { name: 'files/min', type: 'bar', data: overview.throughput.map(t => t.files) },
      { name: 'rows/min', type: 'line', yAxisIndex: 1, data: overview.throughput.map(t => t.rows) }]
  }, true);
  const letters = overview.dead_letters;
  document.getElementById('dead-letter-counts').textContent = letters.total + ' dead-lettered to ' + letters.topic
    + (letters.total ? ': ' + Object.entries(letters.per_reason).map(([r, n]) => r + ' ' + n).join(', ') : '');
  const body = document.querySelector('#dead-letters tbody');
  body.replaceChildren();
  for (const letter of letters.recent) {
    const row = el('tr');
    for (const value of [letter.source, letter.file_id ?? '', letter.reason, letter.message, letter.dead_lettered_at]) {
      row.appendChild(el('td', value));
    }
    body.appendChild(row);
  }
}

async function select(id) {
  state.selected = id;
  state.series = null;
  drawFiles();
  await pollDetail(true);
}

async function pollDetail(first) {
  if (state.selected === null) {
    return;
  }
  const file = await view('file', { id: state.selected });
  state.detail = file;
  document.getElementById('file-section').hidden = false;
  document.getElementById('file-title').textContent = file.file_name + ' (file ' + file.id + ', ' + file.status + ')';
  document.getElementById('file-error').textContent = file.error || '';
  const rejections = file.rejections.slice().reverse();
  chart('rejections').setOption({
    animation: false,
    tooltip: {}, grid: { left: 160, right: 30, top: 10, bottom: 25 },
    xAxis: { type: 'value', name: 'rows' },
    yAxis: { type: 'category', data: rejections.map(r => r.field + ' / ' + r.rule) },
    series: [{ name: 'rows', type: 'bar', data: rejections.map(r => r.rejections) }]
  }, true);
  const reports = document.getElementById('reports');
  reports.replaceChildren(...file.reports.map(name => {
    const item = el('li');
    const link = el('a', name);
    link.href = 'api/report?' + new URLSearchParams({ id: file.id, name: name });
    link.target = '_blank';
    item.appendChild(link);
    return item;
  }));
  const body = document.querySelector('#rejected-rows tbody');
  body.replaceChildren();
  for (const rejected of file.rejected_rows) {
    const row = el('tr');
    const reasons = typeof rejected === 'object' && rejected.reasons ? rejected.reasons.map(r => r.message).join('; ') : '';
    row.appendChild(el('td', typeof rejected === 'object' ? rejected.line : ''));
    row.appendChild(el('td', reasons));
    const raw = el('td');
    raw.appendChild(el('code', typeof rejected === 'object' ? rejected.raw : rejected));
    row.appendChild(raw);
    body.appendChild(row);
  }
  const sensor = document.getElementById('sensor');
  if (first) {
    sensor.replaceChildren(...file.sensors.map(s => {
      const option = el('option', 'sensor ' + s.sensor_id + ', ' + s.quantity + ' (' + s.sample_count + ')');
      option.value = s.sensor_id + '/' + s.quantity;
      return option;
    }));
  }
  if (sensor.value) {
    await drawSeries(sensor.value);
  }
}

async function drawSeries(choice) {
  const [sensor, quantity] = choice.split('/');
  const series = await view('series', { sensor: sensor, quantity: quantity });
  state.series = series;
  await drawReadings(sensor, quantity);
  document.getElementById('series-title').textContent = 'Sensor ' + sensor + ', ' + quantity
    + ': min, mean and max per file over time';
  const at = series.points.map(p => p.first_measured_at);
  chart('series').setOption({
    animation: false,
    tooltip: { trigger: 'axis' }, legend: { data: ['min', 'mean', 'max'] },
    grid: { left: 60, right: 30, top: 30, bottom: 30 },
    xAxis: { type: 'time' }, yAxis: { type: 'value', scale: true, name: quantity },
    series: ['min', 'mean', 'max'].map(k => ({
      name: k, type: 'line', showSymbol: true, data: series.points.map((p, i) => [at[i], p[k + '_value']]) }))
  }, true);
}

async function drawReadings(sensor, quantity) {
  const readings = await view('readings', { id: state.selected, sensor: sensor, quantity: quantity });
  state.readings = readings;
  document.getElementById('readings-title').textContent = 'Sensor ' + sensor + ', ' + quantity + ': its '
    + readings.points.length + ' readings in this file' + (readings.points.length >= 5000 ? ' (the first 5,000)' : '');
  chart('readings').setOption({
    animation: false,
    tooltip: { trigger: 'axis' }, grid: { left: 60, right: 30, top: 20, bottom: 30 },
    xAxis: { type: 'time' }, yAxis: { type: 'value', scale: true, name: quantity },
    series: [{ name: quantity, type: 'line', showSymbol: false, data: readings.points.map(p => [p.measured_at, p.value]) }]
  }, true);
}

async function poll() {
  try {
    const overview = await view('overview');
    state.overview = overview;
    drawOverview(overview);
    await pollFiles();
    if (state.polls % 3 === 0) {
      await pollDetail(false);
    }
    state.polls++;
    state.error = null;
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    state.error = String(e);
    document.getElementById('updated').textContent = 'not updated: ' + e.message;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

document.getElementById('status').addEventListener('change', () => { state.older = []; pollFiles(); });
document.getElementById('source').addEventListener('change', () => { state.older = []; pollFiles(); });
document.getElementById('more').addEventListener('click', olderFiles);
document.getElementById('sensor').addEventListener('change', e => drawSeries(e.target.value));
window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
poll();
