// 研判单: the engine's decision for an incident now — level and who decides it, grade, lead, measures with their
// leading units, the 5.2 upward reports due (with a button to record them), safety advice with its reasons,
// the clauses and facts on demand — the declaration buttons for the roles that decide, and a printable form.
import { api, currentMeta, currentSession, currentSnapshot, onStatus } from './api.js';
import { colon, lang, pick, t } from './i18n.js';
import { append, banner, clear, el, fill, full, levelBadge, levelName, names, short } from './util.js';
import { fetchForecast, forecastSummary, forecastTitle } from './forecast.js';

let off = null;

export async function show(view, args) {
  const id = args[0];
  view.append(el('h1.no-print', t('sheet.title')));
  const picker = el('div.actions.no-print');
  const body = el('div.sheet');
  view.append(picker, body);
  let incidents = [];
  try { incidents = await api('GET', '/api/incidents'); } catch (e) { banner(e.text || e.message); }
  const sel = el('select#sheet-pick', { on: { change: () => { location.hash = `#/sheet/${encodeURIComponent(sel.value)}`; } } },
    el('option', { value: '' }, t('sheet.choose')),
    incidents.slice().reverse().map((i) => el('option', { value: i.incident_id, selected: i.incident_id === id },
      `${i.incident_id} ${i.county || ''}${i.closed_at ? ` (${t('sheet.closed')})` : ''}`)));
  append(picker, [sel, id ? el('button#print', { type: 'button', on: { click: () => window.print() } }, t('sheet.print')) : null]);
  if (!id) { body.append(el('div.panel.empty', incidents.length ? t('sheet.choose') : t('sheet.none'))); return; }
  const load = async () => {
    try { render(body, await api('GET', `/api/incidents/${encodeURIComponent(id)}`)); } catch (e) { banner(e.text || e.message); }
  };
  await load();
  let last = currentSnapshot() ? currentSnapshot().version : null;
  off = onStatus((snap) => { if (last !== null && snap.version !== last) load(); last = snap.version; });
}
export function leave() { if (off) off(); }

function factList(facts) {
  const entries = Object.entries(facts || {});
  if (!entries.length) return null;
  const meta = currentMeta();
  const label = (n) => { const f = meta.facts.find((x) => x.name === n); return f ? pick(f) : n; };
  // Numbers as a person reads them (17842.605243 → 17842.61); the JSON keeps the full value.
  const val = (v) => v === true ? t('report.yes') : v === false ? t('report.no') : v === null ? '?'
    : typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v);
  return el('span.facts', ' [', entries.map(([n, v]) => `${label(n)}=${val(v && typeof v === 'object' && 'value' in v ? v.value : v)}`).join('；'), ']');
}
function clauseDetails(x) {
  return el('details', el('summary', t('sheet.facts')), el('div.facts', x.clause, x.alternative ? ` (${x.alternative})` : '', factList(x.facts),
    x.interpretations && x.interpretations.length ? el('div.muted', x.interpretations.join(', ')) : null));
}
function factLabel(n) { const f = currentMeta().facts.find((x) => x.name === n); return f ? pick(f) : n; }
const roleNames = (rs) => (rs || []).map((r) => (lang() === 'en' ? r.en || r.zh : r.zh)).join(lang() === 'en' ? ', ' : '、');

function render(body, inc) {
  clear(body);
  const d = inc.decision;
  const meta = currentMeta();
  const session = currentSession();
  const closed = !!inc.incident.closed_at;
  body.dataset.incident = inc.incident.incident_id;
  body.dataset.required = d.response_level || 'none';
  body.dataset.declared = inc.declared || 'none';

  body.append(el('div.panel',
    el('div.print-only.hidden', el('h2', `${meta.plan.title.zh} · ${t('sheet.title')}`)),
    el('h2', `${inc.incident.incident_id} · ${inc.incident.county || ''}`, closed ? el('span.tag', t('sheet.closed')) : null),
    el('dl',
      el('dt', t('sheet.level')), el('dd', el('span.level-big', d.response_level ? levelBadge(d.response_level) : t('sheet.none_required'))),
      el('dt', t('sheet.decider')), el('dd', d.decided_by ? [roleNames(d.decided_by.roles), ' ', el('span.muted', `(${d.decided_by.clause})`)] : '—'),
      el('dt', t('sheet.declared')), el('dd#sheet-declared', levelBadge(inc.declared)),
      el('dt', t('sheet.grade')), el('dd', d.disaster_grade ? (lang() === 'en' ? d.disaster_grade.grade_en : d.disaster_grade.grade) : '—'),
      el('dt', t('sheet.lead')), el('dd', lang() === 'en' ? d.lead.tier : d.lead.tier_zh,
        el('ul', d.lead.reasons.map((r) => el('li', r.clause, ' ', pick(r.text), clauseDetails(r))))),
      el('dt', t('sheet.assessed')), el('dd', full(inc.assessed_at), ' · ', el('span.muted', `${meta.plan.id} ${meta.plan.sha256.slice(0, 12)}`)))));

  // Declaring: only roles that decide a level; the server records the signed-in role.
  const decl = el('div.panel.no-print#declare-panel');
  if (!closed) {
    if (session.permissions.declare) {
      decl.append(el('div.actions',
        ['IV', 'III', 'II', 'I'].map((l) => el(`button${l === d.response_level ? '.primary' : ''}`,
          { type: 'button', dataset: { declare: l }, on: { click: () => declare(inc, l) } }, `${t('sheet.declare')} ${levelName(l)}`)),
        el('button.danger', { type: 'button', dataset: { close: '1' }, on: { click: () => closeIncident(inc) } }, t('sheet.close'))));
    } else {
      decl.append(el('p.muted', t('sheet.no_declare'), ' ', `${t('sheet.decider')}${colon()}${roleNames(d.decided_by && d.decided_by.roles)}`));
    }
    body.append(decl);
  }

  body.append(el('div.panel', el('h3', t('sheet.triggers')),
    d.triggers.length ? el('ul', d.triggers.map((x) => el('li', levelBadge(x.level), ' ', x.clause, ' ', pick(x.text), clauseDetails(x)))) : el('p.muted', '—')));

  body.append(el('div.panel', el('h3', t('sheet.measures')),
    el('ol', d.measures.map((m) => el('li', el('span.muted', `${m.clause} `), pick(m.text),
      m.lead.length ? el('div', el('strong', `${t('sheet.lead_units')}${colon()}`), roleNames(m.lead)) : null,
      m.facts ? clauseDetails(m) : null)))));

  body.append(reportingPanel(inc, d));

  if (d.warning_response)
    body.append(el('div.panel', el('h3', `${t('sheet.warning')}${colon()}${lang() === 'en' ? d.warning_response.colour : d.warning_response.colour_zh}`),
      el('ul', d.warning_response.measures.map((m) => el('li', el('span.muted', `${m.clause} `), pick(m.text))))));

  body.append(el('div.panel', el('h3', t('sheet.safety')),
    d.safety.length ? el('ul', d.safety.map((s) => el('li', el('strong', s.id), ' ', pick(s.advice),
      el('div.muted', `${t('sheet.why')}${colon()}`, pick(s.text), factList(s.facts))))) : el('p.muted', '—')));

  const next = d.next_level;
  body.append(el('div.panel', el('h3', `${t('sheet.next')}${colon()}${next.level ? levelName(next.level) : '—'}`),
    el('ul', next.closest.map((c) => el('li', `${c.clause} ${factLabel(c.fact)} ${c.current ?? '?'} → ${c.word}${c.threshold}（${lang() === 'en' ? 'gap' : '差'} ${c.gap}）`)),
      next.due.map((x) => el('li', `${t('sheet.clock')} ${x.clause} ${levelName(x.level)}${colon()}${full(x.at)}`)))));

  if (meta.maps && meta.maps.forecast && !closed) body.append(forecastPanel(inc, meta.maps.forecast_hours));

  body.append(el('div.panel', el('details', el('summary', `${t('sheet.assumed')} / ${t('sheet.notes')}`),
    el('p', `${t('sheet.assumed')}${colon()}${(d.defaulted || []).join('、') || '—'}`),
    el('ul', d.notes.map((n) => el('li', el('strong', n.id), ` (${n.clause}) `, pick(n.text)))),
    el('div.facts', factList(d.facts)))));

  body.append(recordsPanel(inc));
  body.append(el('div.signatures',
    el('div', t('sheet.sign_duty')), el('div', t('sheet.sign_decider')),
    el('div', t('sheet.sign_time')), el('div', t('sheet.sign_note'))));
}

// The spread forecast on the sheet (serve --landscape / --forecast): run on request, kept for this state of the
// incident (its reports) while the sheet re-renders on live updates; printed with the sheet, labelled a projection.
let forecastMemo = { key: '', data: null };
function forecastPanel(inc, hours) {
  const id = inc.incident.incident_id;
  const key = `${id}|${hours}|${inc.reports.length}|${Math.max(0, ...inc.reports.map((r) => r.id))}`;
  const panel = el('div.panel#sheet-forecast', forecastTitle());
  const show = (f) => { fill(panel, forecastTitle(), ...forecastSummary(f)); };
  if (forecastMemo.key === key) { show(forecastMemo.data); return panel; }
  const button = el('button.no-print#sheet-forecast-run', { type: 'button' }, t('map.forecast_run', { h: hours }));
  button.addEventListener('click', async () => {
    fill(panel, forecastTitle(), el('p.muted', t('map.loading')));
    try {
      const r = await fetchForecast(id, hours);
      forecastMemo = { key, data: r.forecast };
      show(r.forecast);
    } catch (e) { fill(panel, forecastTitle(), el('p.field-error', e.text || e.message), button); }
  });
  panel.append(button);
  return panel;
}

function reportingPanel(inc, d) {
  const meta = currentMeta();
  const session = currentSession();
  const panel = el('div.panel#reporting', el('h3', t('sheet.reporting')));
  if (!d.reporting.length) { panel.append(el('p.muted', '—')); return panel; }
  const list = el('ul');
  for (const r of d.reporting) {
    const made = inc.upward_reports.filter((u) => u.clause === r.clause);
    const told = new Set(made.flatMap((u) => u.to));
    const boxes = r.recipients.map((x) => el('label', el('input', { type: 'checkbox', value: x.id, checked: !told.has(x.id) }), ' ', lang() === 'en' ? x.en : x.zh));
    const li = el('li', { dataset: { clause: r.clause } }, el('strong', r.clause), ' ', pick(r.text),
      el('div', `→ ${roleNames(r.recipients)}`),
      made.map((u) => el('div.tag.green', `${t('sheet.reported')} ${short(u.at)} → ${names(meta, u.to)}${u.by_user ? ` (${u.by_user.username})` : ''}`)),
      session.permissions.upward && !inc.incident.closed_at
        ? el('div.actions.no-print', el('span.checks', boxes),
          el('button.small', { type: 'button', dataset: { record: r.clause }, on: { click: () => recordUpward(inc, r.clause, boxes) } }, t('sheet.record_report')))
        : null);
    list.append(li);
  }
  panel.append(list);
  return panel;
}

function recordsPanel(inc) {
  const meta = currentMeta();
  // Late (迟报): the server marks a report recorded after a report of a later moment (the timeline's own test),
  // and says when the office recorded it.
  const rows = [];
  for (const r of inc.reports) {
    const late = r.late ? [el('span.tag.amber', t('sheet.late_badge')), ' ',
      r.recorded_at ? el('span.muted.recorded-at', t('sheet.recorded_at', { at: short(r.recorded_at) })) : null, ' '] : null;
    rows.push(el('tr', el('td', short(r.reported_at)), el('td', late, r.source),
      el('td', r.by_user ? r.by_user.username : '—')));
  }
  for (const x of inc.declarations)
    rows.push(el('tr', el('td', short(x.at)), el('td', x.kind === 'end' ? t('sheet.close') : `${t('sheet.declare')} ${levelName(x.level)}`,
      ' · ', names(meta, [x.by])), el('td', x.by_user ? x.by_user.username : '—')));
  for (const u of inc.upward_reports)
    rows.push(el('tr', el('td', short(u.at)), el('td', `${u.clause} → ${names(meta, u.to)}`), el('td', u.by_user ? u.by_user.username : '—')));
  return el('div.panel', el('h3', t('sheet.records')), el('table', el('tbody', rows)));
}

async function declare(inc, level) {
  const session = currentSession();
  const role = names(currentMeta(), [session.role]);
  if (!window.confirm(t('sheet.confirm_declare', { role, level: levelName(level) }))) return;
  try {
    await api('POST', `/api/incidents/${encodeURIComponent(inc.incident.incident_id)}/declare`,
      { level, expect_declared: inc.declared });
    banner(`${t('sheet.declared_ok')} ${levelName(level)}`, true);
  } catch (e) { banner(e.status === 409 ? `${t('err.conflict')}: ${e.message}` : e.text || e.message); }
}

async function closeIncident(inc) {
  if (!window.confirm(t('sheet.confirm_close'))) return;
  try {
    await api('POST', `/api/incidents/${encodeURIComponent(inc.incident.incident_id)}/close`, { expect_declared: inc.declared });
  } catch (e) { banner(e.text || e.message); }
}

async function recordUpward(inc, clause, boxes) {
  const to = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
  try {
    await api('POST', `/api/incidents/${encodeURIComponent(inc.incident.incident_id)}/upward`, { clause, to });
  } catch (e) { banner(e.text || e.message); }
}
