// 交接班: sign in and out of a shift in one's role; the handover sheet (open incidents, what falls due in the next
// 12 hours, what this shift reported and declared) is computed by the server and recorded with the sign-out.
import { api, currentMeta, currentSnapshot, onStatus } from './api.js';
import { t } from './i18n.js';
import { banner, clear, el, levelBadge, levelName, names, short } from './util.js';

let off = null;

export async function show(view) {
  view.append(el('h1', t('shift.title')));
  const body = el('div');
  view.append(body);
  const load = async () => {
    try {
      const [shift, sheet] = await Promise.all([api('GET', '/api/shift'), api('GET', '/api/shift/handover')]);
      render(body, shift, sheet);
    } catch (e) { banner(e.text || e.message); }
  };
  await load();
  let last = currentSnapshot() ? currentSnapshot().version : null;
  off = onStatus((snap) => { if (last !== null && snap.version !== last) load(); last = snap.version; });
}
export function leave() { if (off) off(); }

function render(body, shift, sheet) {
  const meta = currentMeta();
  clear(body);
  const note = el('textarea#shift-note', { rows: 3, cols: 60, placeholder: t('shift.note') });
  const me = shift.me;
  body.append(el('div.panel#shift-me', { dataset: { onDuty: me.on_duty ? '1' : '0' } },
    el('p', me.on_duty ? `${t('shift.on')} ${short(me.since)}` : t('shift.off')),
    me.on_duty ? [note, el('div.actions', el('button.primary#sign-out', { type: 'button', on: { click: () => send('sign-out', note.value) } }, t('shift.sign_out')))]
      : el('div.actions', el('button.primary#sign-in', { type: 'button', on: { click: () => send('sign-in', '') } }, t('shift.sign_in')))));
  body.append(sheetPanel(meta, sheet));
  body.append(el('div.panel', el('h2', t('shift.history')), el('table', el('tbody', shift.events.slice().reverse().map((e) =>
    el('tr', el('td', short(e.at)), el('td', e.kind === 'sign_in' ? t('shift.sign_in') : t('shift.sign_out')),
      el('td', `${e.username} · ${names(meta, [e.role])}`), el('td', e.note || ''),
      el('td', e.handover ? el('details', el('summary', t('shift.sheet')), sheetPanel(meta, e.handover)) : null)))))));
}

function sheetPanel(meta, sheet) {
  const done = sheet.done_this_shift || {};
  return el('div.panel.handover', el('h2', `${t('shift.sheet')} · ${short(sheet.at)}`),
    el('p.muted', `${sheet.shift.display_name} · ${names(meta, [sheet.shift.role])} · ${short(sheet.shift.since)} – ${short(sheet.at)}`),
    el('h3', t('board.title')),
    el('table', el('tbody', (sheet.open_incidents || []).map((r) => el('tr', { dataset: { incident: r.incident_id } },
      el('td', r.incident_id), el('td', levelBadge(r.required), ' / ', levelBadge(r.declared)),
      el('td', (r.overdue || []).map((o) => el(`div.duty${o.ack ? '' : '.red'}`,
        o.kind === 'level' ? `${t('duty.level')} ${levelName(o.level)}` : `${t('duty.report')} ${o.clause}`, ` ${short(o.since || o.due_at)}`,
        o.ack ? ` · ${t('duty.acked')} ${o.ack.username}` : ''))))))),
    el('h3', t('shift.due')),
    el('ul', (sheet.due_next_12h || []).map((d) => el('li', `${d.incident_id} ${levelName(d.level)} ${short(d.due)} (${d.clause})`))),
    el('h3', t('shift.done')),
    el('ul',
      (done.reports || []).map((r) => el('li', `${short(r.reported_at)} ${t('nav.report')} ${r.incident_id}${r.by_user ? ` · ${r.by_user.username}` : ''}`)),
      (done.declarations || []).map((d) => el('li', `${short(d.at)} ${d.kind === 'end' ? t('sheet.close') : `${t('sheet.declare')} ${levelName(d.level)}`} ${d.incident_id} · ${names(meta, [d.by])}`)),
      (done.upward_reports || []).map((u) => el('li', `${short(u.at)} ${u.clause} ${u.incident_id} → ${names(meta, u.to)}`))));
}

async function send(what, note) {
  try {
    await api('POST', `/api/shift/${what}`, note ? { note } : {});
    window.dispatchEvent(new HashChangeEvent('hashchange'));  // show the page again with the new state
  } catch (e) { banner(e.text || e.message); }
}
