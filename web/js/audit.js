// 时间线与审计: an incident's timeline (steps at reports and at the moments the clock makes a level due), the
// escalation audit page the library renders (required vs declared over time; downloadable), who at the desk
// recorded what, and the store's verification.
import { api, currentMeta } from './api.js';
import { colon, lang, t } from './i18n.js';
import { banner, el, levelBadge, levelName, names, short } from './util.js';

export async function show(view, args) {
  const id = args[0];
  const meta = currentMeta();
  view.append(el('h1', t('audit.title')));
  let incidents = [];
  try { incidents = await api('GET', '/api/incidents'); } catch (e) { banner(e.text || e.message); }
  const sel = el('select#audit-pick', { on: { change: () => { location.hash = `#/audit/${encodeURIComponent(sel.value)}`; } } },
    el('option', { value: '' }, t('sheet.choose')),
    incidents.slice().reverse().map((i) => el('option', { value: i.incident_id, selected: i.incident_id === id }, i.incident_id)));
  const verify = el('span#verify');
  view.append(el('div.actions', sel, verify));
  api('GET', '/api/store/verify').then((v) => verify.append(el(v.ok ? 'span.tag.green' : 'span.tag.red',
    `${t('audit.verify')}: ${v.ok ? 'ok' : v.problems.length} · ${v.audit_entries} · ${v.head_hash.slice(0, 12)}`)))
    .catch((e) => verify.append(el('span.tag.red', e.message)));
  if (!id) { view.append(el('div.panel.empty', incidents.length ? t('sheet.choose') : t('sheet.none'))); return; }
  const q = `lang=${lang()}`;
  const url = `/api/incidents/${encodeURIComponent(id)}/audit?format=html&${q}`;
  view.append(el('div.actions', el('a#audit-download', { href: `${url}&download=1`, download: `audit-${id}.html` }, t('audit.download')),
    el('a', { href: `/api/incidents/${encodeURIComponent(id)}/audit?format=json`, target: '_blank' }, 'JSON')));
  const tl = el('div.panel', el('h2', t('audit.timeline')));
  const who = el('div.panel', el('h2', t('audit.who')));
  view.append(tl, el('div.panel', el('h2', t('audit.page')), el('iframe.audit#audit-frame', { src: url, title: t('audit.page') })), who);
  try {
    const [timeline, inc] = await Promise.all([
      api('GET', `/api/incidents/${encodeURIComponent(id)}/timeline`),
      api('GET', `/api/incidents/${encodeURIComponent(id)}`)]);
    const it = (timeline.incidents || [])[0];
    const rows = [];
    if (it) {
      const events = [];
      for (const s of it.steps) events.push({ at: s.at, kind: 'step', s });
      for (const d of it.declarations) events.push({ at: d.at, kind: 'decl', d });
      for (const u of it.upward_reports) events.push({ at: u.at, kind: 'up', u });
      events.sort((a, b) => a.at.localeCompare(b.at));
      for (const e of events) {
        if (e.kind === 'step') {
          const s = e.s;
          const what = s.cause === 'clock' ? `${lang() === 'en' ? 'clock' : '时钟'}${colon()}${s.cause_detail}` : s.cause === 'report' ? `${lang() === 'en' ? 'report' : '报告'}${colon()}${s.cause_detail}` : s.cause;
          rows.push(el(`tr.step-${s.cause}`, el('td', short(s.at)), el('td', what), el('td', levelBadge(s.assessed)),
            el('td', levelBadge(s.required)), el('td', levelBadge(s.declared)),
            el('td', (s.triggers || []).join('; '), s.deciders && s.deciders.length ? el('div.muted', names(meta, s.deciders)) : null)));
        } else if (e.kind === 'decl') {
          rows.push(el('tr.decl', el('td', short(e.at)),
            el('td', e.d.kind === 'end' ? t('sheet.close') : `${t('sheet.declare')} ${levelName(e.d.level)}`, '，', names(meta, [e.d.by])),
            el('td'), el('td'), el('td', levelBadge(e.d.level)), el('td')));
        } else {
          rows.push(el('tr.up', el('td', short(e.at)), el('td', `${e.u.clause || '5.2'} → ${names(meta, e.u.to)}`), el('td'), el('td'), el('td'), el('td')));
        }
      }
    }
    tl.append(el('table#timeline', el('thead', el('tr', [t('tl.time'), t('tl.event'), t('tl.assessed'), t('board.required'), t('board.declared'), t('tl.basis')].map((h) => el('th', h)))),
      el('tbody', rows)));
    const list = [];
    for (const d of inc.declarations)
      list.push(el('li', `${short(d.at)} ${d.kind === 'end' ? t('sheet.close') : `${t('sheet.declare')} ${levelName(d.level)}`} · ${names(meta, [d.by])} · `,
        d.by_user ? el('strong', d.by_user.username) : el('span.muted', 'CLI')));
    for (const r of inc.reports) list.push(el('li', `${short(r.reported_at)} ${r.source} · `, r.by_user ? el('strong', r.by_user.username) : el('span.muted', 'CLI')));
    for (const u of inc.upward_reports) list.push(el('li', `${short(u.at)} ${u.clause} · `, u.by_user ? el('strong', u.by_user.username) : el('span.muted', 'CLI')));
    who.append(el('ul', list));
  } catch (e) { banner(e.text || e.message); }
}
