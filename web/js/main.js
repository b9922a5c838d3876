// The desk's frame: pages by URL hash, the clock, the person, the language, and the overdue alarm that stays
// red and sounds until a person acknowledges each item (the acknowledgement is recorded).
import { api, currentMeta, currentSession, currentSnapshot, logout, onLive, onSession, onStatus, start } from './api.js';
import { lang, setLang, t, translatePage } from './i18n.js';
import { banner, clear, el, full, isoAt, levelName, nameOf, serverNow, short } from './util.js';
import * as board from './board.js';
import * as report from './report.js';
import * as sheet from './sheet.js';
import * as map from './map.js';
import * as audit from './audit.js';
import * as drill from './drill.js';
import * as shift from './shift.js';

const PAGES = { board, report, sheet, map, audit, drill, shift };
let currentPage = null;

function route() {
  const [path, query = ''] = (location.hash || '#/board').split('?');
  const [, name = 'board', ...rest] = path.split('/');
  const page = PAGES[name] ? name : 'board';
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === page);
  if (currentPage && currentPage.leave) currentPage.leave();
  const view = clear(document.getElementById('view'));
  view.dataset.page = page;
  banner('');
  currentPage = PAGES[page];
  currentPage.show(view, rest.map(decodeURIComponent), new URLSearchParams(query));
}

function tickClock() {
  const snap = currentSnapshot();
  const c = document.getElementById('clock');
  c.textContent = full(isoAt(serverNow()));
  c.classList.toggle('test', !!(snap && snap.test_clock));
  c.title = snap && snap.test_clock ? 'TEST CLOCK' : '';
}

// ---- the alarm: unacknowledged overdue duties, with a sound every 2 s ----
let audio = null;
function beep() {
  try {
    audio = audio || new AudioContext();
    if (audio.state === 'suspended') audio.resume();
    const o = audio.createOscillator(), g = audio.createGain();
    o.frequency.value = 880;
    g.gain.setValueAtTime(0.001, audio.currentTime);
    g.gain.exponentialRampToValueAtTime(0.25, audio.currentTime + 0.02);
    g.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    o.connect(g).connect(audio.destination);
    o.start();
    o.stop(audio.currentTime + 0.45);
  } catch (e) { /* no audio device: the red bar still shows */ }
}
let beeps = 0;
function renderAlarm(snap) {
  const bar = clear(document.getElementById('alarm'));
  const meta = currentMeta();
  const session = currentSession();
  const items = [];
  for (const row of snap.board || [])
    for (const o of row.overdue || []) if (!o.ack) items.push({ row, o });
  bar.hidden = items.length === 0;
  bar.classList.toggle('sounding', items.length > 0);
  bar.dataset.count = String(items.length);
  if (!items.length) return;
  bar.append(el('span.bell', '!'), el('strong', t('alarm.title')));
  for (const { row, o } of items) {
    const what = o.kind === 'level'
      ? `${t('duty.level')} ${levelName(o.level)}`
      : `${o.status === 'incomplete' ? t('duty.incomplete') : t('duty.report')} ${o.clause}`;
    const can = session && session.permissions.ack;
    bar.append(el('span.item', { dataset: { incident: row.incident_id, item: o.item } },
      `${row.incident_id}: ${what}（${t('duty.since')} ${short(o.since || o.due_at)}）`,
      can ? el('button.small', { on: { click: () => acknowledge(row.incident_id, o) } }, t('duty.ack')) : null));
  }
  void meta;
}
async function acknowledge(incident, o) {
  try {
    await api('POST', `/api/incidents/${encodeURIComponent(incident)}/ack`, { item: o.item, due_at: o.due_at });
  } catch (e) { banner(e.text || e.message); }
}
setInterval(() => {
  tickClock();
  const bar = document.getElementById('alarm');
  if (!bar.hidden && ++beeps % 2 === 0) beep();
}, 1000);

function renderMe(session) {
  const meta = currentMeta();
  const me = document.getElementById('me');
  if (!session) { me.textContent = ''; return; }
  me.textContent = `${session.display_name} · ${meta ? nameOf(meta, session.role) : session.role}`;
  me.dataset.role = session.role;
  me.title = me.textContent;
}

async function main() {
  translatePage();
  document.getElementById('lang').textContent = lang() === 'en' ? '中文' : 'EN';
  document.getElementById('lang').addEventListener('click', () => {
    setLang(lang() === 'en' ? 'zh' : 'en');
    document.getElementById('lang').textContent = lang() === 'en' ? '中文' : 'EN';
    translatePage();
    renderMe(currentSession());
    route();
    const snap = currentSnapshot();
    if (snap) renderAlarm(snap);
  });
  document.getElementById('logout').addEventListener('click', logout);
  onLive((on) => {
    const l = document.getElementById('live');
    l.className = `live ${on ? 'on' : 'off'}`;
    if (!on) banner(t('err.network'));
    else if (document.getElementById('banner').textContent === t('err.network')) banner('');
  });
  onStatus((snap) => { renderAlarm(snap); tickClock(); });
  onSession((s) => renderMe(s));
  await start();
  renderMe(currentSession());
  window.addEventListener('hashchange', route);
  route();
  document.body.dataset.ready = '1';
}

main().catch((e) => banner(e.text || e.message));
