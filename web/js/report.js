// 火情上报: every field of the incident report (docs/report-format.md) with its unit and bounds. The server
// validates (the engine's parser): an error comes back with the JSON path of the field, shown at the field in
// the plan's words; nothing is recorded when anything is wrong. A report earlier than the incident's latest is
// marked late. A click on the map opens this form with the location filled in.
import { api, currentMeta, currentSession, currentSnapshot } from './api.js';
import { colon, fieldMessage, lang, pick, t } from './i18n.js';
import { append, banner, clear, el, fill, fromLocalInput, isoAt, levelName, ms, names, serverNow, short, toLocalInput } from './util.js';

const UNIT_ZH = { ha: '公顷', persons: '人', km: '公里', h: '小时', 'm/s': '米/秒' };
const THREATS = ['residential', 'key_facility', 'military', 'hazardous_chemicals', 'oil_gas_pipeline', 'railway', 'nuclear', 'major_hazard'];
const COLOURS = ['none', 'blue', 'yellow', 'orange', 'red'];

// name: the JSON path without the leading '/'; fact: the vocabulary name whose label and unit are shown.
const FIELDS = [
  ['basic', { name: 'incident_id', type: 'text', label: 'report.incident_id', required: true }],
  ['basic', { name: 'reported_at', type: 'datetime', label: 'report.reported_at', required: true }],
  ['basic', { name: 'county', type: 'county', label: 'report.county' }],
  ['basic', { name: 'location/lon', type: 'number', label: 'report.lon', min: -180, max: 180, unit: '°' }],
  ['basic', { name: 'location/lat', type: 'number', label: 'report.lat', min: -90, max: 90, unit: '°' }],
  ['fire', { name: 'open_fire_since', type: 'datetime', label: 'report.open_fire_since' }],
  ['fire', { name: 'burned_area_ha', type: 'number', fact: 'burned_area_ha', min: 0 }],
  ['fire', { name: 'damaged_forest_area_ha', type: 'number', fact: 'damaged_forest_area_ha', min: 0 }],
  ['fire', { name: 'controlled', type: 'bool', fact: 'controlled' }],
  ['fire', { name: 'extinguished', type: 'bool', fact: 'extinguished' }],
  ['fire', { name: 'dangerous', type: 'bool', fact: 'dangerous' }],
  ['people', { name: 'deaths', type: 'int', fact: 'deaths', min: 0 }],
  ['people', { name: 'serious_injuries', type: 'int', fact: 'serious_injuries', min: 0 }],
  ['context', { name: 'sensitive_period', type: 'bool', fact: 'sensitive_period' }],
  ['context', { name: 'sensitive_area', type: 'bool', fact: 'sensitive_area' }],
  ['context', { name: 'public_opinion_verification', type: 'bool', fact: 'public_opinion_verification' }],
  ['context', { name: 'satellite_detected', type: 'bool', fact: 'satellite_detected' }],
  ['context', { name: 'warning_colour', type: 'colour', label: 'report.warning_colour' }],
  ['boundary', { name: 'crosses_boundary', type: 'bool', fact: 'crosses_boundary' }],
  ['boundary', { name: 'crosses_city_boundary', type: 'bool', fact: 'crosses_city_boundary' }],
  ['boundary', { name: 'km_to_city_boundary', type: 'number', fact: 'km_to_city_boundary', min: 0 }],
  ['weather', { name: 'weather/temperature_c', type: 'number', fact: 'temperature_c', min: -60, max: 60 }],
  ['weather', { name: 'weather/humidity_pct', type: 'number', fact: 'humidity_pct', min: 0, max: 100 }],
  ['weather', { name: 'weather/wind_speed_ms', type: 'number', fact: 'wind_speed_ms', min: 0 }],
  ['weather', { name: 'weather/wind_dir_deg', type: 'number', fact: 'wind_dir_deg', min: 0, max: 360 }],
];
const GROUPS = ['basic', 'fire', 'people', 'context', 'threats', 'boundary', 'weather', 'other'];
const FORM_FACTS = new Set(FIELDS.map(([, f]) => f.fact).filter(Boolean));

function factInfo(name) { return (currentMeta().facts || []).find((f) => f.name === name); }
function unitText(u) { return lang() === 'en' ? u : UNIT_ZH[u] || u; }

function labelOf(f) {
  if (f.label) return t(f.label);
  const info = factInfo(f.fact);
  return info ? pick(info) : f.name;
}
function boundsText(f) {
  const parts = [];
  if (f.min !== undefined) parts.push(`≥ ${f.min}`);
  if (f.max !== undefined) parts.push(`≤ ${f.max}`);
  if (f.type === 'int') parts.push(lang() === 'en' ? 'whole number' : '整数');
  return parts.join('，');
}

function input(f) {
  const common = { name: f.name, id: `f-${f.name.replace('/', '-')}`, dataset: { path: `/${f.name}` } };
  if (f.type === 'bool' || f.type === 'colour' || f.type === 'county') {
    const sel = el('select', common, el('option', { value: '' }, t('report.unknown')));
    if (f.type === 'bool') sel.append(el('option', { value: 'true' }, t('report.yes')), el('option', { value: 'false' }, t('report.no')));
    if (f.type === 'colour') for (const c of COLOURS) sel.append(el('option', { value: c }, t(`colour.${c}`)));
    if (f.type === 'county') for (const c of currentMeta().counties) sel.append(el('option', { value: c.name }, lang() === 'en' ? c.name_en || c.name : c.name));
    return sel;
  }
  if (f.type === 'datetime') return el('input', { ...common, type: 'datetime-local', step: 60 });
  if (f.type === 'text') return el('input', { ...common, type: 'text', maxlength: 64, autocomplete: 'off' });
  return el('input', { ...common, type: 'number', step: f.type === 'int' ? 1 : 'any', min: f.min, max: f.max, inputmode: 'decimal' });
}

function field(f) {
  const info = f.fact ? factInfo(f.fact) : null;
  const unit = f.unit || (info && info.unit) || '';
  return el('div.field', { dataset: { field: f.name } },
    el('label', { for: `f-${f.name.replace('/', '-')}` }, labelOf(f), f.required ? ' *' : '', unit ? el('span.unit', unitText(unit)) : null),
    input(f),
    boundsText(f) ? el('div.bounds', boundsText(f)) : null,
    el('p.field-error', { dataset: { for: `/${f.name}` } }));
}

function otherFacts() {
  const rows = el('div.fact-rows');
  const add = () => {
    const choices = (currentMeta().facts || []).filter((f) => !FORM_FACTS.has(f.name) &&
      !['grade', 'response_level', 'open_fire_hours', 'local_hour', 'concurrent_fires', 'concurrent_dangerous_fires', 'warning_colour'].includes(f.name));
    const sel = el('select.fact-name', choices.map((f) => el('option', { value: f.name }, `${pick(f)} (${f.name})`)));
    const val = el('span');
    const setVal = () => {
      const info = factInfo(sel.value);
      fill(val, info && info.kind === 'bool'
        ? el('select.fact-value', el('option', { value: 'true' }, t('report.yes')), el('option', { value: 'false' }, t('report.no')))
        : el('input.fact-value', { type: 'number', step: 'any' }), info && info.unit ? el('span.unit', unitText(info.unit)) : null);
    };
    sel.addEventListener('change', setVal);
    setVal();
    const row = el('div.actions', sel, val, el('button.small', { type: 'button', on: { click: () => row.remove() } }, t('report.remove')));
    rows.append(row);
  };
  return el('div', rows, el('button.small', { type: 'button', on: { click: add } }, t('report.add_fact')), el('p.field-error', { dataset: { for: '/facts' } }));
}

// The report object from the form: empty fields are left out (unknown, never zero).
function collect(form) {
  const r = {};
  for (const [, f] of FIELDS) {
    const v = form.elements[f.name].value.trim();
    if (v === '') continue;
    let value = v;
    if (f.type === 'number' || f.type === 'int') value = Number(v);
    else if (f.type === 'bool') value = v === 'true';
    else if (f.type === 'datetime') value = fromLocalInput(v);
    const [a, b] = f.name.split('/');
    if (b) (r[a] = r[a] || {})[b] = value; else r[a] = value;
  }
  if (form.elements.threats_given.checked)
    r.threatens = THREATS.filter((x) => form.elements[`threat_${x}`].checked);
  const facts = {};
  for (const row of form.querySelectorAll('.fact-rows > div')) {
    const name = row.querySelector('.fact-name').value;
    const v = row.querySelector('.fact-value').value;
    if (v === '') continue;
    facts[name] = v === 'true' ? true : v === 'false' ? false : Number(v);
  }
  if (Object.keys(facts).length) r.facts = facts;
  return r;
}

function fillForm(form, state) {
  for (const [, f] of FIELDS) {
    const [a, b] = f.name.split('/');
    let v = b ? (state[a] || {})[b] : state[a];
    if (v === undefined || v === null) continue;
    if (f.type === 'datetime') v = toLocalInput(v);
    form.elements[f.name].value = String(v);
  }
  if (Array.isArray(state.threatens)) {
    form.elements.threats_given.checked = true;
    for (const x of THREATS) form.elements[`threat_${x}`].checked = state.threatens.includes(x);
  }
}

function clearErrors(form) {
  for (const n of form.querySelectorAll('[aria-invalid]')) n.removeAttribute('aria-invalid');
  for (const n of form.querySelectorAll('.field-error')) n.textContent = '';
}

// Puts the server's error at its field (JSON path), else in the banner. Returns true if placed at a field.
function showError(form, e) {
  let path = e.path || '';
  if (/^\/\d+\//.test(path)) path = path.replace(/^\/\d+/, '');  // one report: /0/x -> /x
  let target = null;
  for (let p = path; p && !target; p = p.slice(0, p.lastIndexOf('/')))
    target = form.querySelector(`.field-error[data-for="${CSS.escape(p)}"]`);
  if (!target && path.startsWith('/facts')) target = form.querySelector('.field-error[data-for="/facts"]');
  if (!target && path.startsWith('/threatens')) target = form.querySelector('.field-error[data-for="/threatens"]');
  const msg = fieldMessage(e.message) + (e.hint && lang() === 'en' ? ` (${e.hint})` : '');
  if (!target) { banner(`${t('report.nothing')} ${e.text || e.message}`); return false; }
  target.textContent = msg;
  const inputEl = form.querySelector(`[data-path="${CSS.escape(target.dataset.for)}"]`);
  if (inputEl) { inputEl.setAttribute('aria-invalid', 'true'); inputEl.focus(); }
  banner(t('report.nothing'));
  return true;
}

function lateCheck(form, note) {
  const id = form.elements.incident_id.value.trim();
  const at = ms(fromLocalInput(form.elements.reported_at.value));
  const snap = currentSnapshot();
  const inc = snap && (snap.incidents || []).find((i) => i.incident_id === id);
  clear(note);
  note.hidden = true;
  if (!inc) return;
  note.hidden = false;
  if (!Number.isNaN(at) && at < ms(inc.reported_at)) {
    note.dataset.late = '1';
    note.append(`${t('report.late')}（${short(inc.reported_at)}）`);
  } else {
    delete note.dataset.late;
    note.append(`${t('report.update_of')} ${id}（${short(inc.reported_at)}）`);
  }
}

export async function show(view, _args, params) {
  const session = currentSession();
  const form = el('form.report#report-form', { novalidate: true });
  const groups = Object.fromEntries(GROUPS.map((g) => [g, el('div.fields')]));
  for (const [g, f] of FIELDS) groups[g].append(field(f));
  groups.threats.append(el('div.field', { dataset: { field: 'threatens' } },
    el('label.inline', el('input', { type: 'checkbox', name: 'threats_given' }), ' ', t('report.threats_given')),
    el('div.checks', THREATS.map((x) => el('label', el('input', { type: 'checkbox', name: `threat_${x}`, value: x }), ' ', t(`threat.${x}`)))),
    el('p.field-error', { dataset: { for: '/threatens' } })));
  groups.other.append(otherFacts());
  for (const g of GROUPS) form.append(el('fieldset', el('legend', t(`report.${g}`)), groups[g]));
  const note = el('div.note#report-note', { hidden: true });
  const result = el('div#report-result');
  const submit = el('button.primary#report-submit', { type: 'submit', disabled: !session.permissions.report }, t('report.submit'));
  form.append(el('div.actions', submit,
    el('button#report-assess', { type: 'button', on: { click: () => send(form, result, false) } }, t('report.preview')),
    el('button', { type: 'button', on: { click: () => { form.reset(); clearErrors(form); clear(result); form.elements.reported_at.value = toLocalInput(isoAt(serverNow())); } } }, t('report.clear'))));
  append(view, [el('h1', t('report.title')), session.permissions.report ? null : el('div.note', t('report.forbidden')), note, form, result]);

  form.elements.reported_at.value = toLocalInput(isoAt(serverNow()));
  const incident = params.get('incident');
  if (incident) {
    try {
      const inc = await api('GET', `/api/incidents/${encodeURIComponent(incident)}`);
      fillForm(form, inc.state || {});
      form.elements.reported_at.value = toLocalInput(isoAt(serverNow()));
    } catch (e) { banner(e.text || e.message); }
  }
  if (params.get('lon') && params.get('lat')) {
    form.elements['location/lon'].value = params.get('lon');
    form.elements['location/lat'].value = params.get('lat');
    form.elements.incident_id.focus();
    banner(t('report.from_map'), true);
  }
  for (const n of ['incident_id', 'reported_at']) form.elements[n].addEventListener('change', () => lateCheck(form, note));
  lateCheck(form, note);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); send(form, result, true); });
}

async function send(form, result, record) {
  clearErrors(form);
  clear(result);
  banner('');
  const body = collect(form);
  try {
    const d = await api('POST', record ? '/api/reports' : '/api/assess', body);
    const meta = currentMeta();
    result.append(el('div.panel', { dataset: { level: d.response_level || 'none', recorded: record ? '1' : '0' } },
      el('strong', record ? t('report.recorded') : t('report.preview')), ' ', d.incident_id, ' → ',
      d.response_level ? `${levelName(d.response_level)}（${t('sheet.decider')}${colon()}${names(meta, (d.decided_by && d.decided_by.roles || []).map((r) => r.id))}）` : t('sheet.none_required'),
      el('ul', (d.triggers || []).map((tr) => el('li', `${tr.clause} ${pick(tr.text)}`))),
      record ? el('a.primary', { href: `#/sheet/${encodeURIComponent(d.incident_id)}` }, t('act.sheet')) : null));
    if (record) banner(`${t('report.recorded')} ${d.incident_id}`, true);
  } catch (e) {
    if (e.status === 403) banner(e.text || e.message);
    else showError(form, e);
  }
}
