// fmf-stream's furnace view: one tile per furnace, fed by server-sent events from /api/updates.
// Plain DOM, canvas and SVG; no libraries, nothing loaded from outside (plants run offline).
'use strict';

const SIZE = 64;                  // frame and mask side in pixels
const CURRENT_SPAN = 120e6;       // µs of current shown
const TIMELINE_POINTS = 300;      // windows shown on the probability timeline
const MASK_FRESH = 5e6;           // µs: a mask is overlaid while its window is this close to the newest event
const SVG = 'http://www.w3.org/2000/svg';

const furnaces = new Map();       // id -> state
// Latency of live events on this page (ms): from the view reading them off the committed topic, and
// from the job writing them (which includes waiting for the checkpoint that commits them).
const stats = { fromRead: [], fromEmit: [], messages: 0, frames: 0, snapshots: 0, reconnects: 0 };
window.fmfView = { stats };
const tiles = document.getElementById('tiles');

function furnace(id) {
  let f = furnaces.get(id);
  if (!f) {
    f = { id, frame: null, image: null, currents: [], events: [], compared: [], masks: new Map(),
          maskBits: new Map(), truthEdge: [], incidents: new Map(), tile: makeTile(id) };
    furnaces.set(id, f);
    const ids = [...furnaces.keys()].sort();
    tiles.insertBefore(f.tile.root, ids.indexOf(id) + 1 < ids.length
        ? furnaces.get(ids[ids.indexOf(id) + 1]).tile.root : null);
    document.getElementById('empty').hidden = true;
  }
  return f;
}

function makeTile(id) {
  const root = document.createElement('section');
  root.className = 'tile';
  root.dataset.furnace = id;
  root.dataset.anomalyShown = 'false';
  root.innerHTML = `<h2><span class="name"></span><span class="state">no data</span>
      <span class="incident"></span><span class="p"></span></h2>
    <div class="body"><canvas class="frame" width="${SIZE}" height="${SIZE}"></canvas>
      <div class="charts"><svg class="currents" viewBox="0 0 300 80" preserveAspectRatio="none"></svg>
        <svg class="timeline" viewBox="0 0 300 80" preserveAspectRatio="none" data-points="0"></svg></div></div>`;
  root.querySelector('.name').textContent = id;
  return { root, canvas: root.querySelector('canvas.frame'), currents: root.querySelector('svg.currents'),
           timeline: root.querySelector('svg.timeline'), state: root.querySelector('.state'),
           p: root.querySelector('.p'), incident: root.querySelector('.incident') };
}

// ---- updates ---------------------------------------------------------------------------------

function apply(message) {
  const body = message.body;
  stats.messages++;
  switch (message.type) {
    case 'snapshot': stats.snapshots++; return snapshot(body);
    case 'status': return status(body);
    case 'frame': { stats.frames++; const f = furnace(message.furnace); f.frame = body; loadFrame(f); return; }
    case 'currents': { const f = furnace(message.furnace); addCurrents(f, body.readings); drawCurrents(f); return; }
    case 'event': {
      const now = Date.now();
      stats.fromRead.push(now - body.read); stats.fromEmit.push(now - body.emitted);
      if (stats.fromRead.length > 10000) { stats.fromRead.shift(); stats.fromEmit.shift(); }
      const f = furnace(message.furnace); addPoint(f.events, body); drawTimeline(f); drawState(f); drawFrame(f); return;
    }
    case 'compared': { const f = furnace(message.furnace); addPoint(f.compared, body); drawTimeline(f); return; }
    case 'mask': { const f = furnace(message.furnace); addMask(f, body); drawFrame(f); return; }
    case 'incident': { const f = furnace(message.furnace); f.incidents.set(body.id, body); drawTimeline(f); drawState(f); return; }
  }
}

function snapshot(board) {
  furnaces.forEach(f => f.tile.root.remove());
  furnaces.clear();
  document.getElementById('empty').hidden = false;
  const meta = board.meta;
  document.getElementById('run').textContent = 'furnaces of ' + meta.run + (meta.compare ? ' (compared with ' + meta.compare + ')' : '');
  status(board.status);
  for (const [id, t] of Object.entries(board.furnaces)) {
    const f = furnace(id);
    f.frame = t.frame;
    addCurrents(f, t.currents);
    t.events.forEach(e => addPoint(f.events, e));
    t.compared.forEach(e => addPoint(f.compared, e));
    t.masks.forEach(m => addMask(f, m));
    t.incidents.forEach(i => f.incidents.set(i.id, i));
    loadFrame(f); drawCurrents(f); drawTimeline(f); drawState(f);
  }
}

function status(s) {
  const box = document.getElementById('status');
  box.replaceChildren(...s.problems.map(text => { const p = document.createElement('p'); p.textContent = text; return p; }));
  box.hidden = s.problems.length === 0;
}

function addCurrents(f, readings) {
  for (const r of readings) {
    if (f.currents.length && r[0] <= f.currents[f.currents.length - 1][0]) continue; // seen (reconnect)
    f.currents.push(r);
  }
  const newest = f.currents.length ? f.currents[f.currents.length - 1][0] : 0;
  while (f.currents.length && f.currents[0][0] < newest - CURRENT_SPAN) f.currents.shift();
}

function addPoint(series, e) {
  if (series.length && e.end <= series[series.length - 1].end) {
    if (series.some(x => x.end === e.end)) return;   // already there
    series.push(e); series.sort((a, b) => a.end - b.end);
  } else {
    series.push(e);
  }
  while (series.length > 900) series.shift();
}

function addMask(f, m) {
  f.masks.set(m.end, m);
  const img = new Image();
  img.onload = () => { f.maskBits.set(m.end, maskBits(img)); drawFrame(f); };
  img.src = m.image;
  if (f.masks.size > 300) {
    const oldest = f.masks.keys().next().value;
    f.masks.delete(oldest); f.maskBits.delete(oldest);
  }
}

// ---- drawing ---------------------------------------------------------------------------------

function loadFrame(f) {
  if (!f.frame) return;
  const img = new Image();
  img.onload = () => { f.image = img; drawFrame(f); };
  img.src = f.frame.image;
  f.truthEdge = f.frame.truth ? truthEdge(f.frame.truth) : [];
}

/** The mask to overlay: the newest event's, when it is an anomaly with a mask and recent. */
function currentMask(f) {
  const last = f.events[f.events.length - 1];
  if (!last || last.decision !== 'ANOMALY') return null;
  for (let i = f.events.length - 1; i >= 0; i--) {
    const e = f.events[i];
    if (last.end - e.end > MASK_FRESH || e.decision !== 'ANOMALY') break;
    if (f.maskBits.has(e.end)) return f.maskBits.get(e.end);
  }
  return null;
}

function drawFrame(f) {
  const ctx = f.tile.canvas.getContext('2d');
  if (!f.image) return;
  ctx.drawImage(f.image, 0, 0, SIZE, SIZE);
  const mask = currentMask(f);
  if (mask) overlayMask(ctx, mask);
  f.tile.root.dataset.anomalyShown = mask ? 'true' : 'false';
  ctx.fillStyle = '#ffe14d';
  for (const [x, y] of f.truthEdge) ctx.fillRect(x, y, 1, 1);
}

/** A mask PNG (round(255 * P) per pixel) as 0/1 per pixel at P >= 0.5, read once when it arrives. */
function maskBits(img) {
  const probe = document.createElement('canvas');
  probe.width = SIZE; probe.height = SIZE;
  const pctx = probe.getContext('2d');
  pctx.drawImage(img, 0, 0);
  const p = pctx.getImageData(0, 0, SIZE, SIZE).data;
  const bits = new Uint8Array(SIZE * SIZE);
  for (let i = 0; i < bits.length; i++) bits[i] = p[i * 4] >= 128 ? 1 : 0;
  return bits;
}

/** Mask pixels (0/1 per pixel, see maskBits) in translucent blue over a size x size drawing. */
function overlayMask(ctx, bits, size = SIZE) {
  const out = ctx.getImageData(0, 0, size, size);
  const scale = size / SIZE;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!bits[Math.floor(y / scale) * SIZE + Math.floor(x / scale)]) continue;
      const i = (y * size + x) * 4;
      out.data[i] = out.data[i] * 0.3; out.data[i + 1] = out.data[i + 1] * 0.3 + 140 * 0.7; out.data[i + 2] = out.data[i + 2] * 0.3 + 255 * 0.7;
    }
  }
  ctx.putImageData(out, 0, 0);
}

/** The ground-truth region's boundary pixels [x, y] (truth: base64 of 64x64 bytes, 1 = abnormal), once per frame. */
function truthEdge(truth) {
  const bytes = atob(truth);
  const at = (x, y) => x >= 0 && y >= 0 && x < SIZE && y < SIZE && bytes.charCodeAt(y * SIZE + x) !== 0;
  const edge = [];
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      if (at(x, y) && !(at(x - 1, y) && at(x + 1, y) && at(x, y - 1) && at(x, y + 1))) edge.push([x, y]);
    }
  }
  return edge;
}

function drawCurrents(f) {
  const svg = f.tile.currents;
  const r = f.currents;
  if (r.length < 2) { svg.innerHTML = '<text x="4" y="12">no current yet</text>'; return; }
  const t1 = r[r.length - 1][0], t0 = t1 - CURRENT_SPAN;
  let lo = Infinity, hi = -Infinity;
  for (const x of r) for (let k = 1; k <= 3; k++) { lo = Math.min(lo, x[k]); hi = Math.max(hi, x[k]); }
  if (hi - lo < 1) { hi += 0.5; lo -= 0.5; }
  const X = t => ((t - t0) / CURRENT_SPAN * 300).toFixed(1);
  const Y = v => (76 - (v - lo) / (hi - lo) * 64).toFixed(1);
  const colours = ['', '#ff6b6b', '#6bd66b', '#6bb5ff'];
  let html = '';
  for (let k = 1; k <= 3; k++) {
    html += `<polyline fill="none" stroke="${colours[k]}" stroke-width="0.8" points="${r.map(x => X(x[0]) + ',' + Y(x[k])).join(' ')}"/>`;
  }
  html += `<text x="2" y="9">${(hi / 1000).toFixed(1)} kA</text><text x="2" y="79">${(lo / 1000).toFixed(1)} kA</text>`
      + `<text x="220" y="9">A B C, last 120 s</text>`;
  svg.innerHTML = html;
}

function drawTimeline(f) {
  const svg = f.tile.timeline;
  const shown = f.events.slice(-TIMELINE_POINTS);
  svg.dataset.points = String(shown.length);
  if (!shown.length) { svg.innerHTML = '<text x="4" y="12">no windows yet</text>'; return; }
  const t1 = shown[shown.length - 1].end, t0 = Math.min(shown[0].end, t1 - 60e6);
  const span = Math.max(1, t1 - t0);
  const X = t => ((t - t0) / span * 296 + 2).toFixed(1);
  const Y = p => (76 - p * 70).toFixed(1);
  const parts = [];
  for (const i of f.incidents.values()) {
    const a = Math.max(i.opened, t0), b = i.cleared ?? (i.open ? t1 : i.last);
    if (b < t0) continue;
    parts.push(`<rect class="incident" x="${X(a)}" y="4" width="${Math.max(1, X(b) - X(a))}" height="72" fill="rgba(255,77,77,.22)"/>`);
  }
  const threshold = shown[shown.length - 1].threshold;
  parts.push(`<line x1="0" x2="300" y1="${Y(threshold)}" y2="${Y(threshold)}" stroke="#e8c15a" stroke-dasharray="3 2" stroke-width="0.6"/>`);
  parts.push(`<text x="2" y="${Math.max(9, Y(threshold) - 2)}">threshold ${+threshold.toPrecision(3)}</text>`);
  parts.push(`<text x="2" y="9">P 1</text><text x="200" y="9">last ${Math.round(span / 1e6)} s, newest right</text>`);
  const compared = f.compared.filter(e => e.end >= t0);
  if (compared.length) {
    parts.push(`<polyline fill="none" stroke="#4da3ff" stroke-width="0.7" points="${compared.map(e => X(e.end) + ',' + Y(e.p)).join(' ')}"/>`);
  }
  for (const e of shown) {
    const fill = e.decision === 'ANOMALY' ? '#ff4d4d' : e.decision === 'UNDECIDED' ? 'none' : '#8a9099';
    const stroke = e.degraded ? '#ffa630' : e.decision === 'UNDECIDED' ? '#ccc' : 'none';
    parts.push(`<circle class="point" data-end="${e.end}" data-decision="${e.decision}" cx="${X(e.end)}" cy="${Y(e.p)}" r="1.8" fill="${fill}" stroke="${stroke}" stroke-width="0.6"><title>${new Date(e.end / 1000).toISOString().slice(11, 23)} P=${e.p.toFixed(3)} ${e.decision}${e.degraded ? ' (degraded)' : ''}</title></circle>`);
  }
  svg.innerHTML = parts.join('');
}

function drawState(f) {
  const last = f.events[f.events.length - 1];
  if (last) {
    f.tile.root.dataset.state = last.decision;
    f.tile.state.textContent = last.decision + (last.degraded ? ' (degraded)' : '');
    f.tile.p.textContent = 'P ' + last.p.toFixed(3);
  }
  const open = [...f.incidents.values()].filter(i => i.open);
  f.tile.incident.textContent = open.length ? 'incident open' : '';
}

// ---- clip view -------------------------------------------------------------------------------

tiles.addEventListener('click', event => {
  const point = event.target.closest('circle.point');
  if (!point) return;
  openClip(point.closest('.tile').dataset.furnace, point.dataset.end);
});
document.getElementById('clip-close').addEventListener('click', () => { document.getElementById('clip').hidden = true; });

async function openClip(furnaceId, end) {
  const box = document.getElementById('clip');
  const frames = document.getElementById('clip-frames');
  const note = document.getElementById('clip-note');
  frames.replaceChildren();
  frames.dataset.loaded = '0';
  note.textContent = 'reading the clip from Kafka…';
  document.getElementById('clip-title').textContent = furnaceId + ' window ending ' + new Date(end / 1000).toISOString().slice(11, 23);
  box.hidden = false;
  const response = await fetch(`/api/clip?furnace=${encodeURIComponent(furnaceId)}&end=${end}`);
  if (!response.ok) { note.textContent = await response.text(); return; }
  const clip = await response.json();
  const e = clip.event;
  note.textContent = `P ${e.p.toFixed(3)} · ${e.decision}${e.degraded ? ' · degraded' : ''} · frames ${e.clip[0]}…${e.clip[e.clip.length - 1]}`
      + (clip.mask ? ` · mask on the last frame (${(100 * clip.mask.area).toFixed(2)}% of the shell)` : ' · no mask (not an anomaly)');
  let loaded = 0;
  const mask = clip.mask ? maskBits(await image(clip.mask.image)) : null;
  for (let k = 0; k < clip.frames.length; k++) {
    const figure = document.createElement('figure');
    const canvas = document.createElement('canvas');
    canvas.width = SIZE * 2; canvas.height = SIZE * 2;
    const caption = document.createElement('figcaption');
    caption.textContent = 'frame ' + e.clip[k] + (k === clip.frames.length - 1 ? ' (scored)' : '');
    figure.append(canvas, caption);
    frames.append(figure);
    if (!clip.frames[k]) { caption.textContent += ' — not in the topic'; continue; }
    const img = await image(clip.frames[k]);
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, 0, 0, SIZE * 2, SIZE * 2);
    if (mask && k === clip.frames.length - 1) { overlayMask(ctx, mask, SIZE * 2); canvas.dataset.mask = 'true'; }
    loaded++;
  }
  frames.dataset.loaded = String(loaded);
}

function image(src) {
  return new Promise((resolve, reject) => { const i = new Image(); i.onload = () => resolve(i); i.onerror = reject; i.src = src; });
}

// ---- connection ------------------------------------------------------------------------------

function connect() {
  const connection = document.getElementById('connection');
  const source = new EventSource('/api/updates');
  source.onopen = () => { connection.dataset.state = 'live'; connection.textContent = 'live'; };
  source.onmessage = m => apply(JSON.parse(m.data));
  source.onerror = () => { stats.reconnects++; connection.dataset.state = 'reconnecting'; connection.textContent = 'reconnecting…'; };
}
connect();
