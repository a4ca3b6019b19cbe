// Gantry lab: the page only draws. Training runs in Gantry; this script polls /api/snapshot a few
// times a second and sends the buttons' and settings' changes. Text from the server or the user
// is only ever set through textContent, never parsed as HTML.
'use strict';

const POLL_MS = 120;
const ARROW_PX = 40;
const lab = {
  options: null,
  snap: null,
  centres: [],        // the custom mixture being drawn, in plane coordinates
  pollTimer: null,
  frames: 0,          // snapshots drawn (the browser test reads it)
  alarmsShown: -1,
};

function $(id) { return document.getElementById(id); }

function showError(message) {
  const box = $('error');
  if (message) {
    box.textContent = message;
    box.hidden = false;
  } else {
    box.textContent = '';
    box.hidden = true;
  }
}

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    const why = data && typeof data.error === 'string' ? data.error : ('HTTP ' + res.status);
    throw new Error(why);
  }
  return data;
}

async function act(method, path, body) {
  try {
    const r = await api(method, path, body);
    showError(null);
    return r;
  } catch (e) {
    showError(e.message);
    return null;
  }
}

// ---- settings ----

function option(select, value, label) {
  const o = document.createElement('option');
  o.value = String(value);
  o.textContent = label === undefined ? String(value) : label;
  select.appendChild(o);
}

function fillForm(s) {
  $('mixture').value = s.mixture;
  $('loss').value = s.loss;
  for (const key of ['k', 'lr', 'lr_d', 'noise_dim', 'hidden', 'seed']) {
    $(key).value = String(s[key]);
  }
  if (s.mixture === 'custom') {
    $('std').value = String(s.std);
    lab.centres = s.centres.map(c => [c[0], c[1]]);
  }
  updateForm();
  $('pending').hidden = true;
}

function updateForm() {
  const custom = $('mixture').value === 'custom';
  $('custom-box').hidden = !custom;
  $('overlay').classList.toggle('drawing', custom);
  $('centre-count').textContent = String(lab.centres.length);
  const keys = lab.options ? lab.options.losses[$('loss').value] : null;
  $('loss-keys').textContent = keys ? keys.join('  ') : '';
}

// A field's value: a number when it reads as one, else the text itself (the server says what is wrong).
function value(id) {
  const text = $(id).value.trim();
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : text;
}

function formSettings() {
  const s = {
    mixture: $('mixture').value,
    loss: $('loss').value,
    k: value('k'),
    lr: value('lr'),
    lr_d: value('lr_d'),
    noise_dim: value('noise_dim'),
    hidden: value('hidden'),
    seed: value('seed'),
  };
  if (s.mixture === 'custom') {
    s.centres = lab.centres;
    s.std = value('std');
  }
  return s;
}

async function reset() {
  const r = await act('POST', '/api/reset', formSettings());
  if (r) {
    $('pending').hidden = true;
  }
}

// ---- drawing ----

// Ten bands from blue (D = 0, "fake") through white to red (D = 1, "real"), as the force-field PNG.
function colour(v) {
  const band = Math.min(9, Math.max(0, Math.floor(v * 10)));
  const t = (band + 0.5) / 10;
  const lo = [0x21, 0x66, 0xac], mid = [0xf7, 0xf7, 0xf7], hi = [0xb2, 0x18, 0x2b];
  const a = t < 0.5 ? lo : mid, b = t < 0.5 ? mid : hi;
  const u = t < 0.5 ? t / 0.5 : (t - 0.5) / 0.5;
  return [0, 1, 2].map(i => Math.round(a[i] + u * (b[i] - a[i])));
}

function viewHalf() {
  if (lab.snap && typeof lab.snap.half === 'number') {
    if ($('mixture').value !== 'custom' || (lab.snap.settings && lab.snap.settings.mixture === 'custom')) {
      return lab.snap.half;
    }
  }
  return 2;
}

function toPixel(x, y, half, size) {
  return [(x + half) / (2 * half) * size, (half - y) / (2 * half) * size];
}

function drawHeat(s) {
  const canvas = $('heat');
  const ctx = canvas.getContext('2d');
  if (!s.heat) {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    return;
  }
  const n = s.heat_side;
  const img = new ImageData(n, n);
  for (let i = 0; i < n * n; i++) {
    const v = s.heat[i];
    const c = v === null ? [200, 200, 200] : colour(v);
    img.data[4 * i] = c[0];
    img.data[4 * i + 1] = c[1];
    img.data[4 * i + 2] = c[2];
    img.data[4 * i + 3] = 255;
  }
  const small = document.createElement('canvas');
  small.width = n;
  small.height = n;
  small.getContext('2d').putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}

function drawOverlay(s) {
  const canvas = $('overlay');
  const ctx = canvas.getContext('2d');
  const size = canvas.width;
  ctx.clearRect(0, 0, size, size);
  const half = viewHalf();
  const editing = $('mixture').value === 'custom'
      && !(s && s.settings && s.settings.mixture === 'custom' && sameCentres(s.settings.centres, lab.centres));
  if (editing) {
    // The centres being drawn, not yet trained on.
    ctx.fillStyle = 'rgba(255,255,255,0.6)';
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = '#333';
    ctx.lineWidth = 2;
    for (const c of lab.centres) {
      const p = toPixel(c[0], c[1], half, size);
      ctx.beginPath();
      ctx.arc(p[0], p[1], 6, 0, 2 * Math.PI);
      ctx.stroke();
    }
    return;
  }
  if (!s || !s.real) {
    return;
  }
  ctx.fillStyle = '#1b7837';
  for (let i = 0; i + 1 < s.real.length; i += 2) {
    const p = toPixel(s.real[i], s.real[i + 1], half, size);
    ctx.fillRect(p[0] - 1.5, p[1] - 1.5, 3, 3);
  }
  const hist = s.modes ? s.modes.histogram : null;
  ctx.lineWidth = 2;
  s.modes_at.forEach((m, k) => {
    const p = toPixel(m[0], m[1], half, size);
    ctx.strokeStyle = hist && hist[k] > 0 ? '#1b7837' : '#999';
    ctx.beginPath();
    ctx.arc(p[0], p[1], 7, 0, 2 * Math.PI);
    ctx.stroke();
  });
  let maxLen = 0;
  for (let i = 0; i + 1 < s.arrows.length; i += 2) {
    if (s.arrows[i] !== null && s.arrows[i + 1] !== null) {
      maxLen = Math.max(maxLen, Math.hypot(s.arrows[i], s.arrows[i + 1]));
    }
  }
  ctx.lineWidth = 1;
  for (let i = 0; i + 1 < s.fake.length; i += 2) {
    if (s.fake[i] === null || s.fake[i + 1] === null) {
      continue;
    }
    const p = toPixel(s.fake[i], s.fake[i + 1], half, size);
    ctx.fillStyle = '#762a83';
    ctx.beginPath();
    ctx.arc(p[0], p[1], 2.2, 0, 2 * Math.PI);
    ctx.fill();
    const ax = s.arrows[i], ay = s.arrows[i + 1];
    if (maxLen > 0 && ax !== null && ay !== null) {
      const len = Math.hypot(ax, ay);
      if (len > 0) {
        const px = ARROW_PX * len / maxLen;
        arrow(ctx, p[0], p[1], p[0] + ax / len * px, p[1] - ay / len * px);
      }
    }
  }
}

function sameCentres(a, b) {
  return a.length === b.length && a.every((c, i) => Math.abs(c[0] - b[i][0]) < 1e-9 && Math.abs(c[1] - b[i][1]) < 1e-9);
}

function arrow(ctx, x0, y0, x1, y1) {
  ctx.strokeStyle = 'rgba(0,0,0,0.75)';
  ctx.fillStyle = 'rgba(0,0,0,0.75)';
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
  const len = Math.hypot(x1 - x0, y1 - y0);
  if (len < 4) {
    return;
  }
  const ux = (x1 - x0) / len, uy = (y1 - y0) / len, h = Math.min(6, 0.5 * len);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - h * ux + 0.5 * h * uy, y1 - h * uy - 0.5 * h * ux);
  ctx.lineTo(x1 - h * ux - 0.5 * h * uy, y1 - h * uy + 0.5 * h * ux);
  ctx.closePath();
  ctx.fill();
}

function drawColourBar() {
  const c = $('colourbar');
  const ctx = c.getContext('2d');
  for (let i = 0; i < 10; i++) {
    const col = colour((i + 0.5) / 10);
    ctx.fillStyle = 'rgb(' + col.join(',') + ')';
    ctx.fillRect(i * c.width / 10, 0, c.width / 10, c.height);
  }
}

// A line chart of several series of [x, y] points; log10 of y when log is set.
function chart(canvas, series, log, fixed) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height, pad = 4, left = 38;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  let xs = [], ys = [];
  const tf = v => (log ? (v > 0 ? Math.log10(v) : null) : v);
  for (const s of series) {
    for (const p of s.points) {
      const y = tf(p[1]);
      if (y !== null && Number.isFinite(y)) {
        xs.push(p[0]);
        ys.push(y);
      }
    }
  }
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(left, pad, w - left - pad, h - 2 * pad);
  if (xs.length === 0) {
    return;
  }
  let x0 = Math.min(...xs), x1 = Math.max(...xs);
  let y0 = fixed ? fixed[0] : Math.min(...ys), y1 = fixed ? fixed[1] : Math.max(...ys);
  if (x1 === x0) { x1 = x0 + 1; }
  if (y1 === y0) { y1 = y0 + 1; y0 = y0 - 1; }
  ctx.fillStyle = '#555';
  ctx.font = '10px sans-serif';
  const label = v => (log ? '1e' + v.toFixed(1) : (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)));
  ctx.fillText(label(y1), 2, pad + 9);
  ctx.fillText(label(y0), 2, h - pad);
  for (const s of series) {
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    for (const p of s.points) {
      const y = tf(p[1]);
      if (y === null || !Number.isFinite(y)) {
        started = false;
        continue;
      }
      const px = left + (p[0] - x0) / (x1 - x0) * (w - left - pad);
      const py = h - pad - (y - y0) / (y1 - y0) * (h - 2 * pad);
      if (started) { ctx.lineTo(px, py); } else { ctx.moveTo(px, py); started = true; }
    }
    ctx.stroke();
  }
}

function fmt(v, digits) {
  return v === null || v === undefined ? '–' : Number(v).toPrecision(digits || 3);
}

function drawNumbers(s) {
  $('step-count').textContent = String(s.step === undefined ? 0 : s.step);
  $('state').textContent = s.state;
  $('play').textContent = s.state === 'playing' ? 'pause' : 'play';
  if (s.modes) {
    $('modes').textContent = s.modes.captured + ' / ' + s.modes.of;
    $('hq').textContent = (100 * s.modes.high_quality).toFixed(1) + ' %';
  } else {
    $('modes').textContent = s.modes_error ? 'none (' + s.modes_error + ')' : '–';
    $('hq').textContent = '–';
  }
  const last = s.last;
  $('dscores').textContent = last ? fmt(last.d_real) + ' / ' + fmt(last.d_fake) : '–';
  $('losses').textContent = last ? fmt(last.loss_d) + ' / ' + fmt(last.loss_g) : '–';
  $('grads').textContent = last ? fmt(last.grad_norm_g) + ' / ' + fmt(last.grad_norm_d) : '–';
  $('rate').textContent = last && last.steps_per_second !== null ? last.steps_per_second.toFixed(0) : '–';
  $('heat-scale').textContent = s.heat_scale || '';
  if (String(s.speed) !== $('speed').value) {
    $('speed').value = String(s.speed);
  }
  const hist = s.history || [];
  const col = i => hist.map(r => [r[0], r[i]]);
  chart($('chart-loss'), [{ points: col(1), colour: '#2166ac' }, { points: col(2), colour: '#b2182b' }], false);
  chart($('chart-grad'), [{ points: col(3), colour: '#b2182b' }, { points: col(4), colour: '#2166ac' }], true);
  const mh = s.mode_history || [];
  const of = s.modes ? s.modes.of : 1;
  chart($('chart-modes'), [{ points: mh.map(r => [r[0], r[1] / of]), colour: '#1b7837' },
                           { points: mh.map(r => [r[0], r[2]]), colour: '#762a83' }], false, [0, 1]);
  drawAlarms(s.alarms || []);
  if (s.error) {
    showError(s.error);
  }
}

function drawAlarms(alarms) {
  const list = $('alarms');
  if (lab.alarmsShown === alarms.length) {
    return;
  }
  lab.alarmsShown = alarms.length;
  list.replaceChildren();
  if (alarms.length === 0) {
    const li = document.createElement('li');
    li.className = 'quiet';
    li.textContent = 'none yet';
    list.appendChild(li);
    return;
  }
  for (const a of alarms) {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = a.name;
    li.appendChild(name);
    li.appendChild(document.createTextNode(' at step ' + a.step + ': ' + a.detail + ' '));
    if (typeof a.doc === 'string' && a.doc.startsWith('/docs/')) {
      const link = document.createElement('a');
      link.href = a.doc;
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = 'why, and what to do';
      li.appendChild(link);
    }
    list.appendChild(li);
  }
}

function render() {
  const s = lab.snap;
  if (!s) {
    return;
  }
  drawHeat(s);
  drawOverlay(s);
  drawNumbers(s);
  lab.frames++;
  document.body.dataset.frames = String(lab.frames);
  document.body.dataset.step = String(s.step === undefined ? -1 : s.step);
}

async function poll() {
  try {
    const res = await fetch('/api/snapshot', { cache: 'no-store' });
    if (res.ok) {
      const s = await res.json();
      const first = lab.snap === null || !lab.snap.settings;
      lab.snap = s;
      if (first && s.settings) {
        fillForm(s.settings);
      }
      render();
    }
  } catch (e) {
    showError('the server does not answer (' + e.message + '): is `gantry lab serve` still running?');
  }
  lab.pollTimer = setTimeout(poll, POLL_MS);
}

// ---- wiring ----

async function init() {
  try {
    lab.options = await api('GET', '/api/options');
  } catch (e) {
    showError('cannot load the options: ' + e.message);
    return;
  }
  for (const m of lab.options.mixtures) { option($('mixture'), m); }
  for (const l of Object.keys(lab.options.losses)) { option($('loss'), l); }
  for (const v of [1, 2, 5, 10, 20, 50, 100]) {
    if (v <= lab.options.ranges.speed[1]) { option($('speed'), v); }
  }
  fillForm(lab.options.defaults);
  drawColourBar();
  for (const id of ['mixture', 'loss', 'k', 'lr', 'lr_d', 'noise_dim', 'hidden', 'seed', 'std']) {
    $(id).addEventListener('input', () => { $('pending').hidden = false; updateForm(); render(); });
  }
  $('play').addEventListener('click', () => {
    const playing = lab.snap && lab.snap.state === 'playing';
    act('POST', playing ? '/api/pause' : '/api/play');
  });
  $('step').addEventListener('click', () => act('POST', '/api/step', { steps: Number($('speed').value) }));
  $('reset').addEventListener('click', reset);
  $('speed').addEventListener('change', () => act('POST', '/api/speed', { speed: Number($('speed').value) }));
  $('clear-centres').addEventListener('click', () => {
    lab.centres = [];
    $('pending').hidden = false;
    updateForm();
    render();
  });
  $('overlay').addEventListener('click', ev => {
    if ($('mixture').value !== 'custom') {
      return;
    }
    const canvas = $('overlay');
    const rect = canvas.getBoundingClientRect();
    const half = viewHalf();
    const px = (ev.clientX - rect.left) / rect.width, py = (ev.clientY - rect.top) / rect.height;
    const x = -half + 2 * half * px, y = half - 2 * half * py;
    lab.centres.push([Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000]);
    $('pending').hidden = false;
    updateForm();
    render();
  });
  poll();
}

document.addEventListener('DOMContentLoaded', init);
