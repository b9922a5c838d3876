// The forecast of `firebreak forecast` for an incident (GET /api/forecast), shown on the map and on the sheet:
// perimeters at the isochrone hours, the plan's thresholds it would cross, the places it reaches — every item
// labelled a projection, never a requirement. The server caches one forecast per incident state and query, so
// the map and the sheet (and every open page) share one run.
import { api } from './api.js';
import { lang, pick, t } from './i18n.js';
import { el, levelName, short } from './util.js';

export const ISO_COLOUR = ['#b71c1c', '#d84315', '#ef6c00', '#f9a825', '#fdd835', '#fff176'];

export function fetchForecast(id, hours) {
  return api('GET', `/api/forecast?incident=${encodeURIComponent(id)}&hours=${hours}`);
}

export function forecastTitle() {
  return el('h3', t('map.forecast'), ' ', el('span.projection', t('map.projection')));
}

// A colour key (the CSP forbids style attributes; the CSSOM is allowed).
export function swatch(colour) {
  const i = el('i.swatch');
  i.style.background = colour;
  return i;
}

// The summary of one forecast (the `forecast` member of the API's answer), as elements.
export function forecastSummary(f) {
  const isos = (f.isochrones || []).map((i, k) => el('li', swatch(ISO_COLOUR[Math.min(k, 5)]),
    t('map.forecast_iso', { h: i.hours, ha: Math.round(i.area_ha) })));
  const crossings = (f.thresholds || []).filter((x) => x.hours !== null).map((x) => el('li',
    el('b', x.level ? levelName(x.level) : x.clause), ' ', pick(x.starts), ' · ', x.clause, ' · ',
    t('map.forecast_at', { h: Number(x.hours).toFixed(1) }), x.at ? ` (${short(x.at)})` : ''));
  const reached = (f.arrivals || []).filter((a) => a.threat_hours !== null).map((a) => el('li', a.name || a.kind, ' · ',
    t('map.forecast_threat', { km: a.threat_km, h: Number(a.threat_hours).toFixed(1) })));
  return [
    el('p.projection-label', pick(f.label)),
    el('ul.forecast-list', isos),
    el('h4', t('map.forecast_thresholds')),
    crossings.length ? el('ul.forecast-thresholds', crossings) : el('p.muted', t('map.forecast_none')),
    reached.length ? el('div', el('h4', t('map.forecast_places')), el('ul', reached)) : null,
    el('details', el('summary', t('map.forecast_notes')), el('ul', ((lang() === 'en' ? f.notes.en : f.notes.zh) || []).map((n) => el('li', n)))),
  ];
}
