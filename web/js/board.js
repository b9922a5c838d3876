// 值班台: every open incident — required vs declared level, who must decide, the next clock-driven level counting
// down (red when due), overdue levels and 5.2 reports first (the server sorts the rows).
import { api, currentMeta, currentSession, currentSnapshot, onStatus } from './api.js';
import { colon, pick, t } from './i18n.js';
import { banner, clear, duration, el, levelBadge, levelName, ms, names, serverNow, short } from './util.js';

let off = null, timer = null;

export function show(view) {
  const body = el('div');
  view.append(el('h1', t('board.title')), body);
  const render = (snap) => renderBoard(body, snap);
  off = onStatus(render);
  if (currentSnapshot()) render(currentSnapshot());
  timer = setInterval(tickCountdowns, 1000);
}
export function leave() { if (off) off(); clearInterval(timer); }

function countdown(due) {
  const span = el('span.countdown', { dataset: { due } });
  updateCountdown(span);
  return span;
}
function updateCountdown(span) {
  const left = (ms(span.dataset.due) - serverNow()) / 1000;
  span.textContent = left > 0 ? `${duration(left)} ${t('due.in')}` : `${t('due.overdue')} ${duration(-left)}`;
  span.classList.toggle('overdue', left <= 0);
  span.classList.toggle('soon', left > 0 && left < 3600);
  span.dataset.state = left > 0 ? 'running' : 'overdue';
}
function tickCountdowns() { for (const s of document.querySelectorAll('.countdown[data-due]')) updateCountdown(s); }

function dutyLine(meta, row, o) {
  const session = currentSession();
  const what = o.kind === 'level'
    ? [t('duty.level'), ' ', levelName(o.level), '（', (o.clauses || []).join('、'), '）']
    : [o.status === 'incomplete' ? t('duty.incomplete') : t('duty.report'), ' ', o.clause, ' → ', names(meta, o.missing_recipients)];
  const who = o.kind === 'level' ? [' · ', t('board.decides'), colon(), names(meta, o.should_decide)] : [];
  const ack = o.ack
    ? el('span.tag.green', `${t('duty.acked')} ${o.ack.username} ${short(o.ack.at)}`)
    : session && session.permissions.ack
      ? el('button.small', { on: { click: () => acknowledge(row.incident_id, o) } }, t('duty.ack'))
      : null;
  return el(`div.duty${o.ack ? '' : '.red'}`, { dataset: { item: o.item } },
    what, who, '，', t('duty.since'), ' ', short(o.since || o.due_at), ' ', countdown(o.since || o.due_at), ' ', ack);
}

async function acknowledge(incident, o) {
  try {
    await api('POST', `/api/incidents/${encodeURIComponent(incident)}/ack`, { item: o.item, due_at: o.due_at });
  } catch (e) { banner(e.text || e.message); }
}

// On a shared store: which office owes which 5.2 report, to whom, by when (`firebreak status`'s owed_reports).
function owedReports(meta, owed) {
  if (!owed.length) return null;
  const table = el('table#owed', el('thead', el('tr',
    [t('board.incident'), t('owed.clause'), t('owed.office'), t('owed.to'), t('owed.due'), t('owed.by')].map((h) => el('th', h)))));
  const tbody = el('tbody');
  for (const o of owed)
    tbody.append(el(`tr${o.overdue ? '.overdue' : ''}`, { dataset: { incident: o.incident_id, clause: o.clause } },
      el('td', el('strong', o.incident_id)),
      el('td', o.clause),
      el('td', [o.office || '—', ' ', el('span.muted', names(meta, [o.reporter]))]),
      el('td', names(meta, o.to)),
      el('td', short(o.due_at)),
      el('td', short(o.by), ' ', countdown(o.by))));
  table.append(tbody);
  return el('div', el('h2', t('board.owed')), table);
}

function renderBoard(body, snap) {
  const meta = currentMeta();
  clear(body);
  const rows = snap.board || [];
  const table = el('table#board', el('thead', el('tr',
    [t('board.incident'), t('board.county'), t('board.required'), t('board.declared'), t('board.decides'),
      t('board.next'), t('board.duties'), t('board.actions')].map((h) => el('th', h)))));
  const tbody = el('tbody');
  for (const r of rows) {
    const unacked = (r.overdue || []).some((o) => !o.ack);
    const mismatch = r.required && r.required !== r.declared;
    tbody.append(el(`tr${unacked ? '.overdue' : ''}`, { dataset: { incident: r.incident_id } },
      el('td', el('strong', r.incident_id)),
      el('td', r.county || '—'),
      el('td', levelBadge(r.required)),
      el('td', levelBadge(r.declared), mismatch ? el('span.tag.red', '≠') : null),
      el('td', r.required ? [names(meta, r.deciders), el('div.muted', r.decider_clause)] : '—'),
      el('td.next', r.next ? [levelName(r.next.level), ' ', el('span.muted', short(r.next.due)), el('br'), countdown(r.next.due),
        el('div.muted', r.next.clause)] : t('due.none')),
      el('td', (r.overdue || []).map((o) => dutyLine(meta, r, o))),
      el('td', el('div.actions',
        el('a', { href: `#/sheet/${encodeURIComponent(r.incident_id)}` }, t('act.sheet')),
        el('a', { href: `#/report?incident=${encodeURIComponent(r.incident_id)}` }, t('act.update')),
        el('a', { href: `#/map/${encodeURIComponent(r.incident_id)}` }, t('act.map')),
        el('a', { href: `#/audit/${encodeURIComponent(r.incident_id)}` }, t('act.audit'))))));
  }
  table.append(tbody);
  if (snap.office) body.append(el('p.muted#board-office', `${t('board.office')}${colon()}`,
    snap.office.name ? pick(snap.office.name) : '', ` [${snap.office.id}]`));
  body.append(rows.length ? table : el('div.panel.empty', t('board.empty')));
  const owed = owedReports(meta, (snap.status && snap.status.owed_reports) || []);
  if (owed) body.append(owed);
  const duty = snap.on_duty || [];
  body.append(el('p.muted', `${t('board.onduty')}${colon()}`,
    duty.length ? duty.map((d) => `${d.display_name}（${names(meta, [d.role])}，${short(d.since)}）`).join('；') : t('board.nobody'),
    ` · ${t('board.lastupdate')} ${short(snap.now)} · v${snap.version}`));
}
