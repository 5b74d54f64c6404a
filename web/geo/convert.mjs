// Converts the ONS ICB (April 2026) boundaries into the small file the map
// draws: coordinates rounded to DECIMALS places (3 ≈ 70–110 m, finer than the
// super-generalised source needs on a screen), repeated points dropped, rings
// that collapse below four points dropped, properties kept (ICB26CD, ICB26NM).
// Usage: node geo/convert.mjs [source.geojson]  (default: ../shared/data/raw/…)
import fs from 'node:fs';
import path from 'node:path';

const DECIMALS = 3;
const here = path.dirname(new URL(import.meta.url).pathname);
const name = 'ons_icb26_boundaries_apr2026_bsc.geojson';
// shared/ sits beside the checkout (../shared), or two levels up from a worktree
const src = process.argv[2] ?? [path.join(here, '..', '..', '..', 'shared', 'data', 'raw', name), path.join(here, '..', '..', '..', '..', 'shared', 'data', 'raw', name)].find((p) => fs.existsSync(p));
if (!src) throw new Error(`${name} not found beside the checkout; pass its path`);
const input = JSON.parse(fs.readFileSync(src, 'utf8'));
const k = 10 ** DECIMALS;
const round = (v) => Math.round(v * k) / k;

function ring(r) {
  const out = [];
  for (const [x, y] of r) {
    const p = [round(x), round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  if (out.length && (out[0][0] !== out[out.length - 1][0] || out[0][1] !== out[out.length - 1][1])) out.push(out[0]);
  return out.length >= 4 ? out : null;
}
const polygon = (rings) => {
  const rs = rings.map(ring);
  if (!rs[0]) return null; // the outer ring collapsed: the polygon is too small to draw
  return rs.filter(Boolean);
};

const features = input.features.map((f) => {
  const g = f.geometry;
  let coordinates;
  if (g.type === 'Polygon') coordinates = polygon(g.coordinates);
  else if (g.type === 'MultiPolygon') coordinates = g.coordinates.map(polygon).filter(Boolean);
  else throw new Error(`unexpected geometry ${g.type}`);
  return { type: 'Feature', properties: { ICB26CD: f.properties.ICB26CD, ICB26NM: f.properties.ICB26NM }, geometry: { type: g.type, coordinates } };
}).sort((a, b) => a.properties.ICB26CD.localeCompare(b.properties.ICB26CD));

const out = { type: 'FeatureCollection', features };
const text = JSON.stringify(out);
fs.writeFileSync(path.join(here, 'icb26.json'), text + '\n');
console.log(`geo: ${features.length} ICBs, ${text.length} bytes from ${src}`);
