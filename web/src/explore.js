// /explore: search an organisation, draw its neighbourhood with cytoscape,
// click a node to expand it, link every export of the current view.
import cytoscape from 'cytoscape';
import { gql, argumentType, kindColours, param, el } from './api.js';

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

const NEIGHBOURHOOD = `query Explore($code: String!, $depth: Int!, $limit: Int!ASOFVAR) {
  neighbourhood(code: $code, depth: $depth, limit: $limit ASOFARG) {
    truncated
    nodes { id depth organisation { id code onsCode name kind historic } }
    edges { id relationship from to share since }
  }
}`;

const state = { centre: null, depth: 2, asOfType: null, drawn: false };
const $ = (id) => document.getElementById(id);
const status = (text, cls = 'muted') => { $('status').textContent = text; $('status').className = cls; };

const cy = cytoscape({
  container: $('cy'),
  wheelSensitivity: 0.3,
  maxZoom: 2,
  style: [
    { selector: 'node', style: {
      'background-color': (n) => kindColours[n.data('kind')] || '#888',
      label: 'data(label)', 'font-size': 8, 'text-wrap': 'ellipsis', 'text-max-width': 110, 'min-zoomed-font-size': 5,
      width: (n) => (n.data('centre') ? 26 : 16), height: (n) => (n.data('centre') ? 26 : 16),
      'border-width': (n) => (n.data('historic') ? 2 : 0), 'border-style': 'dashed', 'border-color': '#425563',
    } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#ffeb3b', 'border-style': 'solid' } },
    { selector: 'edge', style: {
      width: (e) => (edgeStyles[e.data('type')] || {}).width || 1,
      'line-color': (e) => (e.data('split') ? '#d5281b' : (edgeStyles[e.data('type')] || {}).color || '#999'),
      'line-style': (e) => (edgeStyles[e.data('type')] || {}).style || 'solid',
      'target-arrow-shape': 'triangle', 'target-arrow-color': (e) => (edgeStyles[e.data('type')] || {}).color || '#999',
      'curve-style': 'bezier', 'arrow-scale': 0.7,
      label: 'data(label)', 'font-size': 8, color: '#d5281b', 'text-background-color': '#fff', 'text-background-opacity': 0.8,
    } },
  ],
});

function legend() {
  const box = $('legend');
  for (const [k, c] of Object.entries(kindColours)) box.append(el('div', {}, el('span', { style: `background:${c}` }), k));
  box.append(el('div', { class: 'muted' }, 'Edges: OVERLAPS dashed green; red and labelled with the council\'s share when the council is split between areas. PARTNER_OF dotted red, LOCATED_IN solid red. Dashed border: historic (STP, CCG).'));
}

function asOf() {
  return state.asOfType && $('asof').value ? $('asof').value : null;
}

async function neighbourhood(code, depth) {
  const a = asOf();
  const q = NEIGHBOURHOOD.replace('ASOFVAR', a ? `, $asOf: ${state.asOfType}` : '').replace('ASOFARG', a ? ', asOf: $asOf' : '');
  const vars = { code, depth, limit: 300 };
  if (a) vars.asOf = a;
  return (await gql(q, vars)).neighbourhood;
}

function merge(sub, baseDepth = 0) {
  const add = [];
  for (const n of sub.nodes) {
    if (cy.getElementById(n.id).nonempty()) continue;
    const o = n.organisation;
    add.push({ group: 'nodes', data: { id: n.id, code: o.code, onsCode: o.onsCode, name: o.name, kind: o.kind, historic: o.historic, label: o.name, depth: n.depth + baseDepth } });
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

// Rings by distance from the centre (expanded nodes one ring further out).
function layout() {
  cy.layout({ name: 'concentric', animate: false, concentric: (n) => 10 - n.data('depth'), levelWidth: () => 1, minNodeSpacing: 28, spacingFactor: 1.1, padding: 20 }).run();
}

async function draw(code) {
  state.centre = code;
  state.depth = Number($('depth').value);
  status(`Loading the neighbourhood of ${code}…`);
  try {
    const sub = await neighbourhood(code, state.depth);
    cy.elements().remove();
    merge(sub);
    const centre = sub.nodes.find((n) => n.depth === 0);
    if (centre) cy.getElementById(centre.id).data('centre', true);
    layout();
    state.drawn = true;
    status(`${sub.nodes.length} organisations, ${sub.edges.length} relationships${sub.truncated ? ' (cut at the node limit)' : ''}. Click a node to expand it.`);
    document.body.dataset.drawn = String(sub.nodes.length);
    if (centre) {
      select(cy.getElementById(centre.id));
      $('q').value = centre.organisation.name; // what was drawn (a code can name a former organisation too)
    }
    exports();
    history.replaceState(null, '', `/explore?code=${encodeURIComponent(code)}&depth=${state.depth}${asOf() ? `&asOf=${asOf()}` : ''}`);
  } catch (err) {
    status(`Could not load ${code}: ${err.message}`, 'error');
  }
}

async function expand(node) {
  status(`Expanding ${node.data('name')}…`);
  try {
    const sub = await neighbourhood(node.data('code'), 1);
    const n = merge(sub, node.data('depth'));
    layout();
    status(`${cy.nodes().length} organisations, ${cy.edges().length} relationships (${n} added by expanding ${node.data('code')}).`);
  } catch (err) {
    status(`Could not expand ${node.data('code')}: ${err.message}`, 'error');
  }
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
      el('tr', {}, el('td', {}, 'Kind'), el('td', {}, d.kind))),
    el('p', {},
      el('a', { href: `/map?select=${encodeURIComponent(d.code)}`, id: 'maplink' }, 'Show on the map'), ' · ',
      el('a', { href: `/explore?code=${encodeURIComponent(d.code)}&depth=${state.depth}` }, 'Centre here')),
  );
}

function exports() {
  const formats = [['graphml', 'GraphML (NetworkX, Gephi, yEd)'], ['gexf', 'GEXF 1.3 (Gephi, with time intervals)'], ['csv', 'CSV nodes + edges (zip)'], ['cyjs', 'Cytoscape.js JSON']];
  const ul = $('exports');
  ul.replaceChildren(el('li', { class: 'muted' }, `The neighbourhood of ${state.centre} at depth ${state.depth}${asOf() ? ` on ${asOf()}` : ''} (nodes added by expanding are not in it):`));
  for (const [f, label] of formats) {
    const u = new URLSearchParams({ code: state.centre, depth: String(state.depth), format: f });
    if (asOf()) u.set('asOf', asOf());
    ul.append(el('li', {}, el('a', { href: `/export/neighbourhood?${u}`, class: 'export', download: '' }, label)));
  }
}

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

// The date control: a date input and a monthly slider from April 2018 to
// this month; the slider's last position is "latest" (no asOf sent).
function dateControls() {
  const months = [];
  const now = new Date();
  for (let d = new Date(Date.UTC(2018, 3, 1)); d <= now; d.setUTCMonth(d.getUTCMonth() + 1)) months.push(d.toISOString().slice(0, 10));
  const slider = $('asofslider');
  slider.max = String(months.length);
  slider.value = String(months.length);
  slider.addEventListener('input', () => { $('asof').value = Number(slider.value) < months.length ? months[Number(slider.value)] : ''; });
  slider.addEventListener('change', () => { if (state.centre) draw(state.centre); });
  $('asof').addEventListener('change', () => { if (state.centre) draw(state.centre); });
  if (param('asOf')) $('asof').value = param('asOf');
}

async function main() {
  legend();
  dateControls();
  state.asOfType = await argumentType('neighbourhood', 'asOf');
  $('asofnote').textContent = state.asOfType ? '' : '(this server has no dated data yet: the date is not sent)';
  let timer;
  $('q').addEventListener('input', (e) => { clearTimeout(timer); timer = setTimeout(() => search(e.target.value), 200); });
  $('depth').addEventListener('change', () => { if (state.centre) draw(state.centre); });
  cy.on('tap', 'node', (e) => { select(e.target); expand(e.target); });
  if (param('depth')) $('depth').value = param('depth');
  const code = param('code');
  if (code) draw(code);
}

window.icsExplore = { cy }; // for the page tests and the console
main();
