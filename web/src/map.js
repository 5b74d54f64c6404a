// /map: the 36 ICBs of April 2026 (ONS boundaries, converted into the
// project) drawn as SVG with d3-geo (no tiles), shaded by a measure computed
// from the GraphQL API; ?select=CODE highlights an ICB or the ICBs a council,
// trust or sub-ICB location lies in.
import { geoPath, geoTransform } from 'd3-geo';
import { gql, param, el } from './api.js';

const $ = (id) => document.getElementById(id);
const status = (text, cls = 'muted') => { $('status').textContent = text; $('status').className = cls; };
const SVGNS = 'http://www.w3.org/2000/svg';

const DATA = `query MapData {
  integratedCareSystems(first: 100) {
    edges { node { code onsCode name population populationYear smallAreas
      cancerAlliances { share cancerAlliance { code name } } } }
  }
  splitCouncils(weight: POPULATION) {
    area { code name }
    parts { share area { code onsCode } }
  }
}`;

const SELECT = `query MapSelect($code: String!) {
  organisation(code: $code) {
    code name kind onsCode
    ... on SubIcbLocation { integratedCareSystem { code onsCode name } }
    ... on Trust { integratedCareSystem { code onsCode name } }
    ... on Council { overlaps { shareOfCouncil integratedCareSystem { code onsCode name } } }
  }
}`;

const measures = {
  split: { label: 'Councils split between this ICB and another', fmt: (v) => String(v) },
  largest: { label: 'Largest share of a split council lying in this ICB', fmt: (v) => `${(100 * v).toFixed(1)}%` },
  population: { label: 'Residents (mid-2015, summed over the small areas the ICB holds on the newest date)', fmt: (v) => v.toLocaleString('en-GB') },
  smallAreas: { label: 'Small areas (LSOA 2011) the ICB holds on the newest date', fmt: (v) => v.toLocaleString('en-GB') },
  alliance: { label: 'Cancer Alliance (the one holding most of the ICB)', categorical: true },
};

const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#393b79', '#637939', '#8c6d31', '#843c39', '#7b4173', '#3182bd', '#e6550d', '#31a354', '#756bb1', '#636363', '#9c9ede', '#cedb9c'];

function ramp(t) { // light to dark blue
  const a = [222, 235, 247], b = [8, 48, 107];
  return `rgb(${a.map((x, i) => Math.round(x + (b[i] - x) * t)).join(',')})`;
}

// byOns: ICB ONS code → { ics, split, largest, population, alliance }
function computeMeasures(data) {
  const byOns = new Map();
  const byCode = new Map();
  for (const { node } of data.integratedCareSystems.edges) {
    const best = [...node.cancerAlliances].sort((x, y) => (y.share ?? 0) - (x.share ?? 0))[0];
    const row = { ics: node, split: 0, largest: 0, population: node.population, smallAreas: node.smallAreas, alliance: best ? best.cancerAlliance.name : null };
    byCode.set(node.code, row);
    if (node.onsCode) byOns.set(node.onsCode, row);
  }
  for (const fit of data.splitCouncils) {
    for (const part of fit.parts) {
      const row = byCode.get(part.area.code);
      if (!row) continue;
      row.split += 1;
      row.largest = Math.max(row.largest, part.share);
    }
  }
  return byOns;
}

function draw(geo) {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  const visit = (c) => { if (typeof c[0] === 'number') { x0 = Math.min(x0, c[0]); x1 = Math.max(x1, c[0]); y0 = Math.min(y0, c[1]); y1 = Math.max(y1, c[1]); } else c.forEach(visit); };
  geo.features.forEach((f) => visit(f.geometry.coordinates));
  const W = 600, H = 720, pad = 10;
  const cos = Math.cos(((y0 + y1) / 2) * Math.PI / 180); // equirectangular, true to scale at mid-latitude
  const k = Math.min((W - 2 * pad) / ((x1 - x0) * cos), (H - 2 * pad) / (y1 - y0));
  const projection = geoTransform({ point(x, y) { this.stream.point(pad + (x - x0) * cos * k, pad + (y1 - y) * k); } });
  const path = geoPath(projection);
  const svg = document.createElementNS(SVGNS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Integrated Care Boards of England, April 2026');
  for (const f of geo.features) {
    const p = document.createElementNS(SVGNS, 'path');
    p.setAttribute('d', path(f));
    p.setAttribute('class', 'icb');
    p.dataset.ons = f.properties.ICB26CD;
    p.dataset.name = f.properties.ICB26NM;
    svg.append(p);
  }
  $('mapbox').prepend(svg);
  return svg;
}

function shade(svg, byOns, measure) {
  const m = measures[measure];
  const values = [...byOns.values()].map((r) => r[measure]).filter((v) => v != null);
  const legend = $('legend');
  legend.replaceChildren(el('div', {}, el('strong', {}, m.label)));
  let colour;
  if (m.categorical) {
    const cats = [...new Set(values)].sort();
    const idx = new Map(cats.map((c, i) => [c, palette[i % palette.length]]));
    colour = (v) => idx.get(v);
    for (const c of cats) legend.append(el('div', {}, el('span', { style: `background:${idx.get(c)}` }), c));
  } else {
    const lo = Math.min(...values), hi = Math.max(...values);
    colour = (v) => ramp(hi > lo ? (v - lo) / (hi - lo) : 1);
    legend.append(el('div', {}, el('span', { style: `background:${ramp(0)}` }), `${m.fmt(lo)} (lowest)`),
      el('div', {}, el('span', { style: `background:${ramp(1)}` }), `${m.fmt(hi)} (highest)`));
  }
  legend.append(el('div', {}, el('span', { style: 'background:#d8dde0' }), 'no data: an ICB of 2026 the database does not hold'));
  let matched = 0;
  for (const p of svg.querySelectorAll('path.icb')) {
    const row = byOns.get(p.dataset.ons);
    const v = row ? row[measure] : null;
    p.classList.toggle('nodata', v == null);
    if (v != null) { matched += 1; p.style.fill = colour(v); } else p.style.fill = '';
    p.dataset.value = v == null ? 'no data' : (m.categorical ? v : m.fmt(v));
  }
  return matched;
}

async function select(svg, code) {
  try {
    const { organisation: o } = await gql(SELECT, { code });
    if (!o) { $('selected').replaceChildren(el('p', { class: 'error' }, `No organisation ${code}.`)); return; }
    const targets = []; // [ons, note]
    if (o.kind === 'ICS') targets.push([o.onsCode, 'the ICB itself']);
    if (o.integratedCareSystem) targets.push([o.integratedCareSystem.onsCode, `holds it: ${o.integratedCareSystem.name}`]);
    for (const ov of o.overlaps || []) targets.push([ov.integratedCareSystem.onsCode, `${(100 * ov.shareOfCouncil).toFixed(1)}% of the council in ${ov.integratedCareSystem.name}`]);
    const items = [];
    for (const [ons, note] of targets) {
      const p = ons && svg.querySelector(`path.icb[data-ons="${CSS.escape(ons)}"]`);
      if (p) { p.classList.add('selected'); svg.append(p); } // on top
      items.push(el('li', {}, `${note}${p ? '' : ' (not on the April 2026 map)'}`));
    }
    $('selected').replaceChildren(el('h2', {}, `Selected: ${o.name}`), el('p', { class: 'muted' }, `${o.kind} ${o.code}`), el('ul', {}, ...items),
      el('a', { href: `/explore?code=${encodeURIComponent(o.code)}` }, 'Open in the network view'));
  } catch (err) {
    $('selected').replaceChildren(el('p', { class: 'error' }, `Could not select ${code}: ${err.message}`));
  }
}

async function main() {
  const [geo, data] = await Promise.all([
    fetch('/assets/icb26.json').then((r) => r.json()),
    gql(DATA).catch((err) => { status(`The API did not answer: ${err.message}; shapes drawn without data.`, 'error'); return null; }),
  ]);
  const svg = draw(geo);
  document.body.dataset.shapes = String(svg.querySelectorAll('path.icb').length);
  const byOns = data ? computeMeasures(data) : new Map();
  const tip = $('tip');
  svg.addEventListener('mousemove', (e) => {
    const p = e.target.closest && e.target.closest('path.icb');
    if (!p) { tip.style.display = 'none'; return; }
    tip.textContent = `${p.dataset.name} (${p.dataset.ons}): ${p.dataset.value}`;
    tip.style.display = 'block';
    const box = $('mapbox').getBoundingClientRect();
    tip.style.left = `${e.clientX - box.left + 12}px`;
    tip.style.top = `${e.clientY - box.top + 12}px`;
  });
  svg.addEventListener('click', (e) => {
    const p = e.target.closest && e.target.closest('path.icb');
    const row = p && byOns.get(p.dataset.ons);
    if (row) window.location.href = `/explore?code=${encodeURIComponent(row.ics.code)}`;
  });
  const measure = $('measure');
  if (param('measure') && measures[param('measure')]) measure.value = param('measure');
  const update = () => {
    const matched = shade(svg, byOns, measure.value);
    document.body.dataset.matched = String(matched);
    if (data) status(`${geo.features.length} ICBs drawn; ${matched} matched to the API's ICSs by ONS code.`);
  };
  measure.addEventListener('change', update);
  update();
  if (param('select')) await select(svg, param('select'));
  document.body.dataset.ready = 'true';
}

main();
