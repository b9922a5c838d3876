// 一张图: Leaflet (Debian's libjs-leaflet, served by the desk; no tiles from the internet). Base: a hillshade GDAL
// renders from the DEM, counties and towns from the layers config. Overlays: incidents coloured by the level
// the plan requires, and for the chosen incident its terrain hazard zones, safety zones and escape routes, and
// the deployment routes with ETAs, and (serve --landscape / --forecast) the forecast perimeters of
// `firebreak forecast`, always labelled projections. A click on the map starts a report there.
import { api, currentMeta, currentSnapshot, onStatus } from './api.js';
import { lang, pick, t } from './i18n.js';
import { banner, clear, duration, el, fill, levelBadge, levelName } from './util.js';
import { ISO_COLOUR, fetchForecast, forecastSummary, forecastTitle } from './forecast.js';

const LEVEL_COLOUR = { IV: '#1e88e5', III: '#f9a825', II: '#ef6c00', I: '#b71c1c', none: '#78909c' };
const ZONE_COLOUR = { no_fight: '#c62828', no_rest: '#6a1b9a', dangerous_fuel: '#ef6c00', no_approach_head: '#d32f2f',
  no_approach_downhill: '#ad1457' };

let leaflet = null;
function loadLeaflet() {
  if (window.L) return Promise.resolve(window.L);
  if (!leaflet) leaflet = new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/assets/leaflet/leaflet.js';
    s.onload = () => resolve(window.L);
    s.onerror = reject;
    document.head.append(s);
  });
  return leaflet;
}

let map = null, off = null, incidentLayer = null, selectedLayer = null, forecastLayer = null, fitted = false;

export async function show(view, args) {
  const side = el('div.map-side.panel#map-side');
  const box = el('div.grow', el('div#map'));
  view.append(el('div.row', box, side));
  const L = await loadLeaflet();
  const meta = currentMeta();
  map = L.map('map', { zoomControl: true, attributionControl: false, preferCanvas: false });
  map.setView([24.9, 109.3], 9);
  fitted = false;
  const overlays = {};
  const legend = L.control({ position: 'bottomleft' });
  legend.onAdd = () => el('div.legend', ['IV', 'III', 'II', 'I'].map((l) => el('div', el(`i.dot-${l}`), levelName(l))), el('div', el('i.dot-none'), t('level.none')));
  legend.addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  for (const i of legend.getContainer().querySelectorAll('i')) i.style.background = LEVEL_COLOUR[i.className.slice(4)];
  if (meta.maps.dem) {
    try {
      const h = await api('GET', '/api/map/hillshade');
      overlays[t('map.hillshade')] = L.imageOverlay(h.url, h.bounds, { opacity: 0.75, className: 'hillshade' }).addTo(map);
      map.fitBounds(h.bounds);
      fitted = true;
    } catch (e) { banner(e.text || e.message); }
  }
  if (meta.maps.layers) {
    try {
      const layers = await api('GET', '/api/map/layers');
      if (layers.counties) {
        overlays[t('map.counties')] = L.geoJSON(layers.counties, { style: { color: '#37474f', weight: 1.5, fill: false },
          onEachFeature: (f, l) => l.bindTooltip(f.properties.name || '', { sticky: true }) }).addTo(map);
        if (!fitted) { map.fitBounds(overlays[t('map.counties')].getBounds()); fitted = true; }
      }
      if (layers.city) L.geoJSON(layers.city, { style: { color: '#000', weight: 2.5, fill: false } }).addTo(map);
      if (layers.sensitive_areas) L.geoJSON(layers.sensitive_areas, { style: { color: '#6a1b9a', weight: 1, fillOpacity: 0.12 } }).addTo(map);
      if (layers.places)
        overlays[t('map.places')] = L.geoJSON(layers.places, { pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 3, color: '#263238', weight: 1, fillOpacity: 0.8 })
          .bindTooltip(f.properties.name || '', { permanent: true, direction: 'right', className: 'place-label' }) }).addTo(map);
      if (layers.key_targets)
        overlays[t('map.targets')] = L.geoJSON(layers.key_targets, { pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 5, color: '#b71c1c', weight: 2, fill: false })
          .bindTooltip(`${f.properties.name || ''} (${f.properties.type || ''})`) }).addTo(map);
    } catch (e) { banner(e.text || e.message); }
  }
  if (!meta.maps.dem && !meta.maps.layers) side.append(el('p.muted', t('map.no_maps')));
  map.createPane('incidents').style.zIndex = 650;  // above the zones and routes
  incidentLayer = L.layerGroup().addTo(map);
  overlays[t('map.incidents')] = incidentLayer;
  selectedLayer = L.layerGroup().addTo(map);
  overlays[t('map.zones')] = selectedLayer;
  forecastLayer = L.layerGroup().addTo(map);
  if (meta.maps.forecast) overlays[t('map.forecast_layer')] = forecastLayer;
  L.control.layers(null, overlays, { collapsed: false, position: 'topright' }).addTo(map);
  map.on('click', (ev) => {
    const lon = ev.latlng.lng.toFixed(5), lat = ev.latlng.lat.toFixed(5);
    L.popup().setLatLng(ev.latlng).setContent(el('div', el('div.mono', `${lon}, ${lat}`),
      el('a#report-here', { href: `#/report?lon=${lon}&lat=${lat}` }, t('map.report_here')))).openOn(map);
  });
  const render = (snap) => drawIncidents(L, snap, side);
  off = onStatus(render);
  if (currentSnapshot()) render(currentSnapshot());
  side.append(el('p.muted#map-hint', t('map.select')));
  if (args[0]) select(L, args[0], side);
  window.firebreakMap = map;  // for the browser tests
}

export function leave() {
  if (off) off();
  if (map) map.remove();
  map = null;
  window.firebreakMap = null;
}

function drawIncidents(L, snap, side) {
  if (!map) return;
  incidentLayer.clearLayers();
  const rows = Object.fromEntries((snap.board || []).map((r) => [r.incident_id, r]));
  const points = [];
  for (const inc of snap.incidents || []) {
    if (!inc.location) continue;
    const r = rows[inc.incident_id] || {};
    const lvl = r.required || 'none';
    const ll = [inc.location.lat, inc.location.lon];
    points.push(ll);
    const m = L.circleMarker(ll, { pane: 'incidents', radius: 11, color: '#000', weight: 2, fillColor: LEVEL_COLOUR[lvl], fillOpacity: 0.9,
      className: `incident-marker incident-${inc.incident_id} level-${lvl}` });
    m.bindTooltip(`${inc.incident_id} · ${levelName(r.required)}`, { permanent: true, direction: 'right', offset: [10, 0] });
    m.on('click', (ev) => { L.DomEvent.stopPropagation(ev); select(L, inc.incident_id, side); });
    m.addTo(incidentLayer);
  }
  if (!fitted && points.length) { map.fitBounds(L.latLngBounds(points).pad(0.5)); fitted = true; }
}

async function select(L, id, side) {
  const meta = currentMeta();
  const snap = currentSnapshot();
  const inc = snap && (snap.incidents || []).find((i) => i.incident_id === id);
  const row = snap && (snap.board || []).find((r) => r.incident_id === id);
  clear(side);
  selectedLayer.clearLayers();
  forecastLayer.clearLayers();
  side.append(el('h2', id, ' ', levelBadge(row && row.required)), el('p', el('a', { href: `#/sheet/${encodeURIComponent(id)}` }, t('act.sheet'))));
  if (!inc || !inc.location) { side.append(el('p.muted', '—')); return; }
  map.setView([inc.location.lat, inc.location.lon], Math.max(map.getZoom(), 13));
  if (meta.maps.dem || meta.maps.layers) {
    const box = el('div#terrain-box', el('h3', t('map.zones')), el('p.muted', t('map.loading')));
    side.append(box);
    try {
      const r = await api('GET', `/api/terrain?lon=${inc.location.lon}&lat=${inc.location.lat}`);
      L.geoJSON(r.zones, {
        filter: (f) => f.properties && f.properties.kind && f.geometry && f.geometry.type !== 'Point',
        style: (f) => ({ color: ZONE_COLOUR[f.properties.kind] || '#8e24aa', weight: 1, fillOpacity: 0.25 }),
        onEachFeature: (f, l) => l.bindTooltip(lang() === 'en' ? f.properties.label_en || f.properties.kind : f.properties.label_zh || f.properties.kind),
      }).addTo(selectedLayer);
      fill(box, el('h3', t('map.zones')),
        el('ul', ((lang() === 'en' ? r.site.safety && r.site.safety.advice_en : r.site.safety && r.site.safety.advice_zh) || []).map((a) => el('li', a))),
        el('details', el('summary', t('sheet.facts')),
          el('ul.facts', Object.entries(r.site.facts || {}).map(([k, v]) => el('li', `${k} = ${v.value}`, el('div.muted', v.source))))));
    } catch (e) { fill(box, el('p.field-error', e.text || e.message)); }
  }
  if (meta.maps.forecast) side.append(forecastBox(L, id, meta.maps.forecast_hours));
  const dep = el('div#deploy-box', el('h3', t('map.deploy')));
  side.append(dep);
  if (!meta.maps.forces) { dep.append(el('p.muted', t('map.no_forces'))); return; }
  dep.append(el('p.muted', t('map.loading')));
  try {
    const r = await api('GET', `/api/deploy?incident=${encodeURIComponent(id)}`);
    L.geoJSON(r.geojson, {
      filter: (f) => ['route', 'safety_zone', 'escape_route', 'no_safety_zone'].includes(f.properties.kind),
      style: (f) => f.properties.kind === 'route' ? { color: '#1565c0', weight: 1.5, opacity: 0.55, dashArray: f.properties.estimated ? '6 4' : null }
        : f.properties.kind === 'escape_route' ? { color: '#2e7d32', weight: 4 } : { color: '#2e7d32' },
      pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 7, color: f.properties.kind === 'safety_zone' ? '#2e7d32' : '#c62828', weight: 3, fillOpacity: 0.4 }),
      onEachFeature: (f, l) => l.bindTooltip(f.properties.kind === 'route'
        ? `${f.properties.order}. ${f.properties.name || f.properties.unit} · ${t('map.eta')} ${duration(f.properties.eta_s)}`
        : f.properties.kind),
    }).addTo(selectedLayer);
    const units = (r.plan.units || []).slice().sort((a, b) => (a.tier - b.tier) || (a.eta_s - b.eta_s));
    fill(dep, el('h3', t('map.deploy'), ' ', levelBadge(r.plan.level)),
      el('ol#eta-list', units.map((u) => el('li', pick(u.name) || u.id, ' · ', t('map.eta'), ' ', duration(u.eta_s), u.estimated ? ' *' : ''))),
      r.plan.safety && r.plan.safety.routes ? el('p.muted', `${t('map.deploy')}: ${r.plan.safety.routes.filter((x) => x.zone).length}/${r.plan.safety.routes.length}`) : null);
  } catch (e) { fill(dep, el('h3', t('map.deploy')), el('p.field-error', e.text || e.message)); }
}

// The forecast for the incident, run on request (forecast.js): the perimeters drawn on the map, the summary
// beside it.
function forecastBox(L, id, hours) {
  const box = el('div#forecast-box', forecastTitle());
  const button = el('button#forecast-run', { type: 'button' }, t('map.forecast_run', { h: hours }));
  box.append(button);
  button.addEventListener('click', async () => {
    fill(box, forecastTitle(), el('p.muted', t('map.loading')));
    forecastLayer.clearLayers();
    try {
      const r = await fetchForecast(id, hours);
      drawForecast(L, r.geojson);
      fill(box, forecastTitle(), ...forecastSummary(r.forecast));
    } catch (e) {
      fill(box, el('h3', t('map.forecast')), el('p.field-error', e.text || e.message), button);
    }
  });
  return box;
}

function drawForecast(L, geojson) {
  const isos = geojson.features.filter((f) => f.properties.kind === 'isochrone').sort((a, b) => b.properties.hours - a.properties.hours);
  const n = isos.length;
  isos.forEach((f, k) => {
    const colour = ISO_COLOUR[Math.min(n - 1 - k, 5)];
    L.geoJSON(f, { style: { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.18, className: `forecast-perimeter forecast-${f.properties.hours}h` } })
      .bindTooltip(t('map.forecast_iso', { h: f.properties.hours, ha: Math.round(f.properties.area_ha) }) + ` · ${t('map.projection')}`, { sticky: true })
      .addTo(forecastLayer);
  });
  L.geoJSON({ type: 'FeatureCollection', features: geojson.features.filter((f) => f.properties.kind !== 'isochrone') }, {
    pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 5, color: f.properties.kind === 'ignition' ? '#000' : '#d84315', weight: 2, fillOpacity: 0.6 }),
    onEachFeature: (f, l) => l.bindTooltip(f.properties.kind === 'ignition' ? t('map.forecast_ignition')
      : `${f.properties.name || ''} · ${t('map.forecast_threat', { km: f.properties.threat_km, h: Number(f.properties.threat_hours).toFixed(1) })} · ${t('map.projection')}`),
  }).addTo(forecastLayer);
}
