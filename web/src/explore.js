// /explore: search an organisation, draw its neighbourhood with cytoscape
// (fcose layout, labels kept apart), click a node to expand it, filter by
// kind and relationship type, move through time (a date control starting at
// the data's newest date, and a play button stepping through the dates on
// which the drawn neighbourhood changed, with those changes listed and
// sourced), download the view as PNG or SVG, link every export of the view.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { gql, argumentType, kindColours, param, el } from './api.js';

cytoscape.use(fcose);

const edgeStyles = {
  PART_OF: { color: '#005eb8', style: 'solid', width: 3 },
  IN_REGION: { color: '#330072', style: 'solid', width: 2 },
  IN_CANCER_ALLIANCE: { color: '#ae2573', style: 'solid', width: 2 },
  IN_CLINICAL_SENATE: { color: '#7c2855', style: 'solid', width: 2 },
  LOCATED_IN: { color: '#da291c', style: 'solid', width: 2 },
  PARTNER_OF: { color: '#da291c', style: 'dotted', width: 2 },
  OVERLAPS: { color: '#009639', style: 'dashed', width: 2 },
  WITHIN: { color: '#009639', style: 'solid', width: 2 },
  IN_SUB_ICB_LOCATION: { color: '#41b6e6', style: 'solid', width: 2 },
  MEMBER_OF: { color: '#ed8b00', style: 'solid', width: 1 },
  SUCCEEDED_BY: { color: '#768692', style: 'dashed', width: 2 },
};

const NEIGHBOURHOOD = `query Explore($code: String!, $depth: Int!, $limit: Int!, $includeClosed: Boolean ASOFVAR) {
  neighbourhood(code: $code, depth: $depth, limit: $limit, includeClosed: $includeClosed ASOFARG) {
    truncated
    nodes { id depth organisation { id code onsCode name kind historic validFrom validTo
      ... on Council { population smallAreas }
      ... on SubIcbLocation { population smallAreas }
      ... on IntegratedCareSystem { population smallAreas } } }
    edges { id relationship from to share since source { id } }
  }
}`;

const CHANGES = `query Changes($from: Date!, $to: Date!, $kinds: [OrganisationKind!]) {
  changes(from: $from, to: $to, kinds: $kinds, first: 100) {
    edges { node { type date description organisation { code } parties { organisation { code } } source { id title } } }
  }
}`;

const LINEAGE = `query Lineage($code: String!, $kind: OrganisationKind) {
  lineage(code: $code, kind: $kind) {
    successions { predecessor { code name kind } successor { code name kind } date share basis source { id title } }
  }
}`;

// Kinds whose changes are looked up for the panel (practices and PCNs
// change by the hundred and are left to the API).
const changeKinds = ['REGION', 'ICS', 'SUB_ICB_LOCATION', 'TRUST', 'COUNCIL', 'CANCER_ALLIANCE', 'CLINICAL_SENATE', 'STP', 'CCG'];

const state = { centre: null, depth: 2, asOfType: null, dataFrom: null, dataTo: null, drawn: false, closedCentre: false, playing: null, dates: [], changeToken: 0 };
const $ = (id) => document.getElementById(id);
const status = (text, cls = 'muted') => { $('status').textContent = text; $('status').className = cls; };

// Labels: small, wrapped, shown once the zoom makes them readable
// (min-zoomed-font-size) and always for the node under the pointer; the
// layout keeps every label's box apart (see separateLabels).
const cy = cytoscape({
  container: $('cy'),
  wheelSensitivity: 0.3,
  maxZoom: 3,
  style: [
    { selector: 'node', style: {
      'background-color': (n) => kindColours[n.data('kind')] || '#888',
      label: 'data(label)', 'font-size': 7, 'text-wrap': 'wrap', 'text-max-width': 80, 'min-zoomed-font-size': 6,
      'text-valign': 'bottom', 'text-margin-y': 2, color: '#212b32',
      width: (n) => (n.data('centre') ? 22 : 12), height: (n) => (n.data('centre') ? 22 : 12),
      'border-width': (n) => (n.data('historic') ? 2 : 0), 'border-style': 'dashed', 'border-color': '#425563',
    } },
    { selector: 'node.hover', style: { 'font-size': 12, 'min-zoomed-font-size': 0, 'text-background-color': '#fff', 'text-background-opacity': 0.9, 'z-index': 10, 'font-weight': 'bold' } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#ffb81c', 'border-style': 'solid' } },
    { selector: '.off', style: { display: 'none' } },
    { selector: 'edge', style: {
      width: (e) => (edgeStyles[e.data('type')] || {}).width || 1,
      'line-color': (e) => (e.data('split') ? '#d5281b' : (edgeStyles[e.data('type')] || {}).color || '#999'),
      'line-style': (e) => (edgeStyles[e.data('type')] || {}).style || 'solid',
      'target-arrow-shape': 'triangle', 'target-arrow-color': (e) => (edgeStyles[e.data('type')] || {}).color || '#999',
      'curve-style': 'bezier', 'arrow-scale': 0.6, opacity: 0.75,
      label: 'data(label)', 'font-size': 7, 'min-zoomed-font-size': 6, color: '#d5281b', 'text-background-color': '#fff', 'text-background-opacity': 0.8,
    } },
  ],
});

function legend() {
  const kinds = $('kindfilter');
  for (const [k, c] of Object.entries(kindColours)) {
    kinds.append(el('label', { class: 'check' }, el('input', { type: 'checkbox', checked: '', 'data-kind': k }), el('span', { style: `background:${c}` }), k));
  }
  const types = $('typefilter');
  for (const [t, s] of Object.entries(edgeStyles)) {
    types.append(el('label', { class: 'check' }, el('input', { type: 'checkbox', checked: '', 'data-type': t }),
      el('i', { style: `border-top: ${Math.max(2, s.width)}px ${s.style} ${s.color}` }), t));
  }
  for (const box of document.querySelectorAll('#kindfilter input, #typefilter input')) box.addEventListener('change', applyFilters);
}

// applyFilters hides the nodes of unticked kinds (and their edges) and the
// edges of unticked relationship types.
function applyFilters() {
  const kinds = new Set([...document.querySelectorAll('#kindfilter input:not(:checked)')].map((i) => i.dataset.kind));
  const types = new Set([...document.querySelectorAll('#typefilter input:not(:checked)')].map((i) => i.dataset.type));
  cy.batch(() => {
    cy.nodes().forEach((n) => n.toggleClass('off', kinds.has(n.data('kind'))));
    cy.edges().forEach((e) => e.toggleClass('off', types.has(e.data('type')) || e.source().hasClass('off') || e.target().hasClass('off')));
  });
  document.body.dataset.hidden = String(cy.elements('.off').length);
}

function asOf() {
  return state.asOfType && $('asof').value ? $('asof').value : null;
}

async function neighbourhood(code, depth, includeClosed = false) {
  const a = asOf();
  const q = NEIGHBOURHOOD.replace('ASOFVAR', a ? `, $asOf: ${state.asOfType}` : '').replace('ASOFARG', a ? ', asOf: $asOf' : '');
  const vars = { code, depth, limit: 300, includeClosed };
  if (a) vars.asOf = a;
  return (await gql(q, vars)).neighbourhood;
}

function merge(sub, baseDepth = 0) {
  const add = [];
  for (const n of sub.nodes) {
    if (cy.getElementById(n.id).nonempty()) continue;
    const o = n.organisation;
    add.push({ group: 'nodes', data: { id: n.id, code: o.code, onsCode: o.onsCode, name: o.name, kind: o.kind, historic: o.historic, validFrom: o.validFrom, validTo: o.validTo, population: o.population, smallAreas: o.smallAreas, label: o.name, depth: n.depth + baseDepth } });
  }
  for (const e of sub.edges) {
    if (cy.getElementById(e.id).nonempty()) continue;
    const split = e.relationship === 'OVERLAPS' && e.share != null && e.share < 0.9995;
    const label = split ? `${(100 * e.share).toFixed(1)}%` : ''; // only split shares, to keep the view legible
    add.push({ group: 'edges', data: { id: e.id, source: e.from, target: e.to, type: e.relationship, share: e.share, since: e.since, split, label } });
  }
  cy.add(add);
  return add.length;
}

// separateLabels pushes apart nodes whose boxes (node and label) overlap,
// along the axis that needs the smaller move, until none does (or after a
// bounded number of rounds): fcose spaces the nodes, this makes sure the
// labels, wrapped under them, do not sit on one another.
function separateLabels(nodes, gap = 2, rounds = 200) {
  const list = nodes.filter((n) => n.visible()).toArray();
  for (let r = 0; r < rounds; r++) {
    const boxes = list.map((n) => n.boundingBox({ includeLabels: true, includeOverlays: false, includeEdges: false }));
    let moved = false;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = boxes[i], b = boxes[j];
        const ox = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + gap;
        const oy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + gap;
        if (ox <= 0 || oy <= 0) continue;
        moved = true;
        const pi = list[i].position(), pj = list[j].position();
        if (ox < oy) {
          const d = (pi.x <= pj.x ? -1 : 1) * ox / 2;
          list[i].position({ x: pi.x + d, y: pi.y }); list[j].position({ x: pj.x - d, y: pj.y });
          a.x1 += d; a.x2 += d; b.x1 -= d; b.x2 -= d;
        } else {
          const d = (pi.y <= pj.y ? -1 : 1) * oy / 2;
          list[i].position({ x: pi.x, y: pi.y + d }); list[j].position({ x: pj.x, y: pj.y - d });
          a.y1 += d; a.y2 += d; b.y1 -= d; b.y2 -= d;
        }
      }
    }
    if (!moved) return r;
  }
  return rounds;
}

// layout: fcose (force-directed, with each node's label counted in its
// size), then separateLabels; the time taken is kept in data-layout-ms.
function layout() {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const l = cy.elements(':visible').layout({
      name: 'fcose', quality: 'default', randomize: true, animate: false, fit: false,
      nodeDimensionsIncludeLabels: true, packComponents: true,
      nodeRepulsion: () => 9000, idealEdgeLength: () => 70, edgeElasticity: () => 0.3, nodeSeparation: 90,
      numIter: 2500, gravity: 0.2, padding: 20,
    });
    l.one('layoutstop', () => {
      const rounds = separateLabels(cy.nodes());
      cy.fit(cy.elements(':visible'), 20);
      const ms = performance.now() - t0;
      document.body.dataset.layoutMs = ms.toFixed(1);
      document.body.dataset.separationRounds = String(rounds);
      resolve(ms);
    });
    l.run();
  });
}

async function draw(code, opts = {}) {
  state.centre = code;
  state.depth = Number($('depth').value);
  status(`Loading the neighbourhood of ${code}${asOf() ? ` on ${asOf()}` : ''}…`);
  delete document.body.dataset.drawn;
  try {
    let sub;
    try {
      sub = await neighbourhood(code, state.depth);
      state.closedCentre = false;
    } catch (err) {
      // the organisation was not open on the date: draw it anyway, as closed
      if (err.code !== 'BAD_USER_INPUT' || !/includeClosed/.test(err.message)) throw err;
      sub = await neighbourhood(code, state.depth, true);
      state.closedCentre = true;
    }
    cy.elements().remove();
    merge(sub);
    const centre = sub.nodes.find((n) => n.depth === 0);
    if (centre) cy.getElementById(centre.id).data('centre', true);
    applyFilters();
    const ms = await layout();
    state.drawn = true;
    const closed = state.closedCentre && centre ? ` ${centre.organisation.name} was not open on ${asOf()}.` : '';
    status(`${sub.nodes.length} organisations, ${sub.edges.length} relationships${sub.truncated ? ' (cut at the node limit)' : ''}; laid out in ${Math.round(ms)} ms.${closed} Click a node to expand it; hover to read its name.`);
    document.body.dataset.drawn = String(sub.nodes.length);
    if (centre) {
      select(cy.getElementById(centre.id));
      $('q').value = centre.organisation.name; // what was drawn (a code can name a former organisation too)
    }
    exports();
    history.replaceState(null, '', `/explore?code=${encodeURIComponent(code)}&depth=${state.depth}${asOf() ? `&asOf=${asOf()}` : ''}`);
    if (!opts.keepChanges) changes();
  } catch (err) {
    status(`Could not load ${code}: ${err.message}`, 'error');
  }
}

async function expand(node) {
  status(`Expanding ${node.data('name')}…`);
  try {
    const sub = await neighbourhood(node.data('code'), 1, true);
    const n = merge(sub, node.data('depth'));
    applyFilters();
    await layout();
    status(`${cy.nodes().length} organisations, ${cy.edges().length} relationships (${n} added by expanding ${node.data('code')}).`);
  } catch (err) {
    status(`Could not expand ${node.data('code')}: ${err.message}`, 'error');
  }
}

// compositionRows: an area's residents (mid-2015, summed over the small
// areas it held) and small-area count, as of the drawn date.
function compositionRows(d) {
  if (d.population == null && d.smallAreas == null) return [];
  const on = asOf() || state.dataTo || 'the newest date';
  return [
    el('tr', {}, el('td', {}, `Residents (mid-2015) on ${on}`), el('td', { id: 'sel-population' }, d.population == null ? '—' : d.population.toLocaleString('en-GB'))),
    el('tr', {}, el('td', {}, `Small areas (LSOA 2011) on ${on}`), el('td', { id: 'sel-smallareas' }, d.smallAreas == null ? '—' : d.smallAreas.toLocaleString('en-GB'))),
  ];
}

function select(node) {
  cy.elements().unselect();
  node.select();
  const d = node.data();
  const box = $('selected');
  box.replaceChildren(
    el('h2', {}, d.name),
    el('table', { class: 'kv' },
      el('tr', {}, el('td', {}, 'Code'), el('td', {}, d.code)),
      el('tr', {}, el('td', {}, 'ONS code'), el('td', {}, d.onsCode || '—')),
      el('tr', {}, el('td', {}, 'Kind'), el('td', {}, d.kind)),
      el('tr', {}, el('td', {}, 'Open'), el('td', {}, `${d.validFrom || '?'} – ${d.validTo ? `${d.validTo} (exclusive)` : 'today'}`)),
      ...compositionRows(d)),
    el('p', {},
      el('a', { href: `/map?select=${encodeURIComponent(d.code)}`, id: 'maplink' }, 'Show on the map'), ' · ',
      el('a', { href: `/explore?code=${encodeURIComponent(d.code)}&depth=${state.depth}${asOf() ? `&asOf=${asOf()}` : ''}` }, 'Centre here')),
  );
}

function exports() {
  const formats = [['graphml', 'GraphML (NetworkX, Gephi, yEd)'], ['gexf', 'GEXF 1.3 (Gephi, with time intervals)'], ['csv', 'CSV nodes + edges (zip)'], ['cyjs', 'Cytoscape.js JSON']];
  const ul = $('exports');
  ul.replaceChildren(el('li', { class: 'muted' }, `The neighbourhood of ${state.centre} at depth ${state.depth}${asOf() ? ` on ${asOf()}` : ''} (nodes added by expanding are not in it):`));
  for (const [f, label] of formats) {
    const u = new URLSearchParams({ code: state.centre, depth: String(state.depth), format: f });
    if (asOf()) u.set('asOf', asOf());
    if (state.closedCentre) continue; // the export, like the API, asks for an open organisation
    ul.append(el('li', {}, el('a', { href: `/export/neighbourhood?${u}`, class: 'export', download: '' }, label)));
  }
}

// ---- through time ----------------------------------------------------------

const dayBefore = (d) => new Date(Date.parse(`${d}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);

// changeDates are the dates on which something drawn opened, closed or
// started a relationship, within the data's range: the dates on which the
// neighbourhood changed.
function changeDates() {
  const s = new Set();
  const inRange = (d) => d && (!state.dataFrom || d > state.dataFrom) && (!state.dataTo || d <= state.dataTo);
  cy.nodes().forEach((n) => { for (const d of [n.data('validFrom'), n.data('validTo')]) if (inRange(d)) s.add(d); });
  cy.edges().forEach((e) => { if (inRange(e.data('since'))) s.add(e.data('since')); });
  return [...s].sort();
}

// changes lists, for each change date, the API's changes that day that
// involve a drawn organisation, each with its source; the play button steps
// through the same dates.
async function changes() {
  const token = ++state.changeToken;
  state.dates = changeDates();
  const codes = new Set(cy.nodes().map((n) => n.data('code')));
  const kinds = changeKinds.filter((k) => cy.nodes().some((n) => n.data('kind') === k));
  const list = $('changes');
  list.replaceChildren(...state.dates.map((d) => el('li', { 'data-date': d }, el('strong', {}, d), el('ul', {}, el('li', { class: 'muted' }, 'loading…')))));
  $('play').disabled = state.dates.length === 0;
  const note = () => {
    $('changesnote').textContent = state.dates.length ? `${state.dates.length} dates on which the drawn neighbourhood changed (from the API's changes and lineage, each with its source):` : 'Nothing drawn changed within the data\u2019s range.';
  };
  note();
  let found = 0;
  // the centre's lineage: its successions (and its predecessors' and
  // successors'), each with its date, share and source
  const centre = cy.nodes('[?centre]');
  let successions = [];
  if (centre.nonempty()) {
    try {
      const r = await gql(LINEAGE, { code: centre.data('code'), kind: centre.data('kind') });
      successions = r.lineage.successions.filter((x) => (!state.dataFrom || x.date > state.dataFrom) && (!state.dataTo || x.date <= state.dataTo));
    } catch {
      // no lineage: the changes alone
    }
    if (token !== state.changeToken) return;
    const extra = successions.map((x) => x.date).filter((d) => !state.dates.includes(d));
    if (extra.length) {
      state.dates = [...new Set([...state.dates, ...extra])].sort();
      list.replaceChildren(...state.dates.map((d) => el('li', { 'data-date': d }, el('strong', {}, d), el('ul', {}, el('li', { class: 'muted' }, 'loading…')))));
      $('play').disabled = false;
      note();
    }
  }
  const one = async (d) => {
    const li = list.querySelector(`li[data-date="${d}"] ul`);
    try {
      const r = await gql(CHANGES, { from: dayBefore(d), to: d, kinds });
      if (token !== state.changeToken) return;
      const mine = r.changes.edges.map((e) => e.node)
        .filter((c) => codes.has(c.organisation.code) || c.parties.some((p) => codes.has(p.organisation.code)));
      const lineage = successions.filter((x) => x.date === d);
      found += mine.length + lineage.length;
      const src = (s) => el('span', { class: 'source', title: s ? s.title || '' : '' }, s ? `[${s.id}]` : '[no source]');
      const items = [
        ...mine.map((c) => el('li', { class: 'change', 'data-type': c.type }, `${c.type}: ${c.description} `, src(c.source))),
        ...lineage.map((x) => el('li', { class: 'change', 'data-type': 'LINEAGE' },
          `LINEAGE: ${x.predecessor.name} (${x.predecessor.kind}, ${x.predecessor.code}) \u2192 ${x.successor.name} (${x.successor.kind}, ${x.successor.code})${x.share != null && x.share < 1 ? `, share ${(100 * x.share).toFixed(1)}%` : ''}${x.basis ? ` (${x.basis})` : ''} `, src(x.source))),
      ];
      li.replaceChildren(...(items.length ? items : [el('li', { class: 'muted' }, 'drawn organisations or relationships start or end (no change of a listed kind recorded for them)')]));
    } catch (err) {
      li.replaceChildren(el('li', { class: 'error' }, `could not load: ${err.message}`));
    }
  };
  // a few at a time: the server bounds its own concurrency too
  const queue = [...state.dates];
  await Promise.all([0, 1, 2].map(async () => { while (queue.length) await one(queue.shift()); }));
  if (token === state.changeToken) document.body.dataset.changes = String(found);
}

// play steps through the change dates: each is drawn as of that day, its
// changes highlighted; a second press stops.
async function play() {
  if (state.playing) { state.playing.stop = true; return; }
  const run = { stop: false };
  state.playing = run;
  $('play').textContent = '\u25a0 Stop';
  const played = [];
  for (const d of state.dates) {
    if (run.stop) break;
    $('asof').value = d;
    for (const li of document.querySelectorAll('#changes > li')) li.classList.toggle('current', li.dataset.date === d);
    document.querySelector(`#changes > li[data-date="${d}"]`)?.scrollIntoView({ block: 'nearest' });
    await draw(state.centre, { keepChanges: true });
    played.push(d);
    document.body.dataset.played = played.join(' ');
    await new Promise((r) => setTimeout(r, Number(param('playDelay') || 1200)));
  }
  state.playing = null;
  $('play').textContent = '\u25b6 Play the changes';
}

// The date control: a date input, starting at the newest date the data
// describes, and a monthly slider over the data's range.
function dateControls() {
  const months = [];
  const from = new Date(`${state.dataFrom || '2013-04-01'}T00:00:00Z`);
  const to = state.dataTo || new Date().toISOString().slice(0, 10);
  for (let d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1)); d.toISOString().slice(0, 10) <= to; d.setUTCMonth(d.getUTCMonth() + 1)) months.push(d.toISOString().slice(0, 10));
  if (months[months.length - 1] !== to) months.push(to);
  const slider = $('asofslider');
  slider.max = String(months.length - 1);
  const input = $('asof');
  input.min = state.dataFrom || '';
  input.max = to;
  input.value = param('asOf') || to;
  const near = () => { const i = months.findIndex((m) => m > input.value); slider.value = String(i < 0 ? months.length - 1 : Math.max(0, i - 1)); };
  near();
  slider.addEventListener('input', () => { input.value = months[Number(slider.value)]; });
  slider.addEventListener('change', () => { if (state.centre) draw(state.centre); });
  input.addEventListener('change', () => { near(); if (state.centre) draw(state.centre); });
}

// ---- downloads -------------------------------------------------------------

function download(name, blob) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  document.body.dataset.download = `${name} ${blob.size}`;
}

const fileBase = () => `icsgraph-${state.centre}-depth${state.depth}${asOf() ? `-${asOf()}` : ''}`;

// wrap breaks a label into lines of at most width pixels at the view's
// label font, as cytoscape's text-wrap does.
const measure = document.createElement('canvas').getContext('2d');
function wrap(text, width) {
  measure.font = '7px sans-serif';
  const lines = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    const next = line ? `${line} ${w}` : w;
    if (line && measure.measureText(next).width > width) { lines.push(line); line = w; } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

// svg writes the visible view as SVG: edges as lines styled like the
// view's, nodes as circles in their kind's colour, names as text.
function svg() {
  const bb = cy.elements(':visible').boundingBox({ includeLabels: true });
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${bb.x1 - 10} ${bb.y1 - 10} ${bb.w + 20} ${bb.h + 20}" width="${Math.round(bb.w + 20)}" height="${Math.round(bb.h + 20)}" font-family="sans-serif">`,
    `<rect x="${bb.x1 - 10}" y="${bb.y1 - 10}" width="${bb.w + 20}" height="${bb.h + 20}" fill="#fff"/>`];
  cy.edges(':visible').forEach((e) => {
    const s = edgeStyles[e.data('type')] || { color: '#999', width: 1, style: 'solid' };
    const a = e.sourceEndpoint(), b = e.targetEndpoint();
    const dash = s.style === 'dashed' ? ' stroke-dasharray="6 3"' : s.style === 'dotted' ? ' stroke-dasharray="1 3"' : '';
    out.push(`<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${b.x.toFixed(1)}" y2="${b.y.toFixed(1)}" stroke="${e.data('split') ? '#d5281b' : s.color}" stroke-width="${s.width}"${dash} opacity="0.75"><title>${esc(e.data('type'))}</title></line>`);
    if (e.data('label')) { const m = e.midpoint(); out.push(`<text x="${m.x.toFixed(1)}" y="${m.y.toFixed(1)}" font-size="7" fill="#d5281b" text-anchor="middle">${esc(e.data('label'))}</text>`); }
  });
  cy.nodes(':visible').forEach((n) => {
    const p = n.position(), r = n.width() / 2;
    out.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${r}" fill="${kindColours[n.data('kind')] || '#888'}"><title>${esc(`${n.data('name')} (${n.data('kind')}, ${n.data('code')})`)}</title></circle>`);
    const lb = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
    const lines = wrap(n.data('label') || '', 80);
    lines.forEach((line, i) => out.push(`<text x="${p.x.toFixed(1)}" y="${(lb.y1 + 7 * (i + 1)).toFixed(1)}" font-size="7" text-anchor="middle" fill="#212b32">${esc(line)}</text>`));
  });
  out.push('</svg>');
  return out.join('\n');
}

// ---- search and start ------------------------------------------------------

async function search(text) {
  const ul = $('results');
  if (text.trim().length < 2) { ul.replaceChildren(); return; }
  try {
    const d = await gql('query Search($text: String!) { search(text: $text, first: 8) { organisation { code name kind } } }', { text });
    ul.replaceChildren(...d.search.map((r) => el('li', {}, el('button', {
      onclick: () => { ul.replaceChildren(); $('q').value = r.organisation.name; draw(r.organisation.code); },
    }, `${r.organisation.name} (${r.organisation.kind}, ${r.organisation.code})`))));
  } catch (err) {
    status(`Search failed: ${err.message}`, 'error');
  }
}

async function main() {
  legend();
  state.asOfType = await argumentType('neighbourhood', 'asOf');
  try {
    const r = await gql('{ release { dataFrom dataTo } }');
    state.dataFrom = r.release.dataFrom;
    state.dataTo = r.release.dataTo;
  } catch {
    // an older server: the slider runs to today
  }
  dateControls();
  $('asofnote').textContent = state.asOfType ? '' : '(this server has no dated data yet: the date is not sent)';
  let timer;
  $('q').addEventListener('input', (e) => { clearTimeout(timer); timer = setTimeout(() => search(e.target.value), 200); });
  $('depth').addEventListener('change', () => { if (state.centre) draw(state.centre); });
  $('play').addEventListener('click', play);
  $('png').addEventListener('click', () => {
    if (!state.drawn) return;
    download(`${fileBase()}.png`, cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' }));
  });
  $('svg').addEventListener('click', () => {
    if (!state.drawn) return;
    download(`${fileBase()}.svg`, new Blob([svg()], { type: 'image/svg+xml' }));
  });
  cy.on('tap', 'node', (e) => { select(e.target); expand(e.target); });
  cy.on('mouseover', 'node', (e) => e.target.addClass('hover'));
  cy.on('mouseout', 'node', (e) => e.target.removeClass('hover'));
  if (param('depth')) $('depth').value = param('depth');
  const code = param('code');
  if (code) draw(code);
}

window.icsExplore = { cy, state, layout, svg }; // for the page tests and the console
main();
