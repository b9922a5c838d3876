// 演练: load a scenario, replay it against a drill clock (play, pause, step to the next event), and watch the
// expectations tick as the clock passes the moment each is about. The server replays the whole scenario into a
// fresh in-memory store through the duty desk (store::RunDrill); the page walks through what was recorded.
import { api, currentMeta } from './api.js';
import { colon, lang, pick, t } from './i18n.js';
import { banner, clear, el, fill, full, levelBadge, levelName, ms, names, short } from './util.js';

let timer = null;

const CAUSES = { report: ['报告', 'report'], clock: ['时钟', 'clock'], concurrency: ['同时火情', 'concurrency'], end: ['终止', 'end'] };
function causeName(c) { return (CAUSES[c] || [c, c])[lang() === 'en' ? 1 : 0]; }

export async function show(view, args) {
  view.append(el('h1', t('drill.title')), el('p.muted', t('drill.note')));
  let list = [];
  try { list = await api('GET', '/api/scenarios'); } catch (e) { banner(e.text || e.message); }
  const sel = el('select#drill-pick', list.map((s) => el('option', { value: s.name, selected: s.name === args[0] },
    `${s.name} — ${s.title ? pick(s.title) : s.error}`)));
  const out = el('div#drill-out');
  view.append(el('div.actions', sel, el('button.primary#drill-load', { type: 'button', on: { click: () => load(sel.value, out) } }, t('drill.load'))), out);
  if (args[0]) load(args[0], out);
}
export function leave() { clearInterval(timer); }

async function load(name, out) {
  clearInterval(timer);
  fill(out, el('p.muted', '…'));
  let r;
  try { r = await api('POST', '/api/drill', { scenario: name }); } catch (e) { clear(out); banner(e.text || e.message); return; }
  const meta = currentMeta();
  // Every event in time order: reports, clock steps, declarations, upward reports.
  const events = [];
  for (const it of r.timeline.incidents) {
    for (const s of it.steps)
      events.push({ at: s.at, text: `${it.incident_id} ${causeName(s.cause)}${colon()}${(s.cause_detail || '').split('/').pop()} → ${levelName(s.required)}`, step: s, id: it.incident_id });
    for (const d of it.declarations)
      events.push({ at: d.at, text: `${it.incident_id} ${d.kind === 'end' ? t('sheet.close') : `${t('sheet.declare')} ${levelName(d.level)}`} · ${names(meta, [d.by])}`, id: it.incident_id });
    for (const u of it.upward_reports) events.push({ at: u.at, text: `${it.incident_id} ${u.clause} → ${names(meta, u.to)}`, id: it.incident_id });
  }
  events.sort((a, b) => a.at.localeCompare(b.at));
  const start = ms(r.scenario.start), end = Math.max(ms(r.timeline.until), ...events.map((e) => ms(e.at)));
  let now = start, playing = false, speed = 3600;  // drill seconds per real second
  const clock = el('strong#drill-clock');
  const scrub = el('input.scrubber#drill-scrub', { type: 'range', min: 0, max: Math.round((end - start) / 1000), value: 0 });
  const evList = el('ol.drill-events');
  const checks = el('tbody');
  const levels = el('div#drill-levels');
  const result = el('p#drill-result');
  const stepBtn = el('button#drill-step', { type: 'button' }, t('drill.step'));
  const playBtn = el('button.primary#drill-play', { type: 'button' }, t('drill.play'));
  const speedSel = el('select', [[600, '10 min/s'], [3600, '1 h/s'], [4 * 3600, '4 h/s']].map(([v, l]) => el('option', { value: v, selected: v === speed }, l)));
  speedSel.addEventListener('change', () => { speed = Number(speedSel.value); });
  const render = () => {
    clock.textContent = full(new Date(now + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00');
    scrub.value = String(Math.round((now - start) / 1000));
    fill(evList, events.map((e) => el(`li${ms(e.at) > now ? '.future' : ''}`, `${short(e.at)} ${e.text}`)));
    fill(levels, r.timeline.incidents.map((it) => {
      let req = null, decl = null;
      for (const s of it.steps) if (ms(s.at) <= now) req = s.required;
      for (const d of it.declarations) if (ms(d.at) <= now) decl = d.kind === 'end' ? null : d.level;
      return el('div', el('strong', it.incident_id), ` ${t('board.required')} `, levelBadge(req), ` ${t('board.declared')} `, levelBadge(decl));
    }));
    clear(checks);
    let passed = 0, due = 0;
    for (const c of r.checks) {
      const at = c.at ? ms(c.at) : end;
      const ticked = at <= now;
      if (ticked) { due += 1; passed += c.ok ? 1 : 0; }
      checks.append(el('tr', { dataset: { state: ticked ? (c.ok ? 'ok' : 'bad') : 'pending' } },
        el('td', ticked ? el(c.ok ? 'span.ok' : 'span.bad', c.ok ? '✓' : '✗') : el('span.pending', '…')),
        el('td', c.what), el('td', c.expected), el('td', ticked ? c.actual : ''), el('td.muted.mono', c.where.split('/').pop())));
    }
    result.textContent = `${t('drill.result')}: ${passed}/${due} (${r.checks.length}) ${now >= end ? (r.ok ? '— PASS' : '— FAIL') : ''}`;
    result.dataset.done = now >= end ? '1' : '0';
  };
  const stepTo = () => {
    const next = events.find((e) => ms(e.at) > now);
    now = next ? ms(next.at) : end;
    render();
  };
  stepBtn.addEventListener('click', stepTo);
  playBtn.addEventListener('click', () => {
    playing = !playing;
    playBtn.textContent = playing ? t('drill.pause') : t('drill.play');
    clearInterval(timer);
    if (playing) timer = setInterval(() => {
      now = Math.min(end, now + speed * 200);
      render();
      if (now >= end) { clearInterval(timer); playing = false; playBtn.textContent = t('drill.play'); }
    }, 200);
  });
  scrub.addEventListener('input', () => { now = start + Number(scrub.value) * 1000; render(); });
  fill(out, el('div.panel', el('h2', pick(r.scenario.title)), el('div.actions', `${t('drill.clock')}: `, clock, playBtn, stepBtn,
    el('button', { type: 'button', on: { click: () => { now = start; render(); } } }, t('drill.reset')), `${t('drill.speed')}: `, speedSel), scrub, levels),
    el('div.panel', el('h3', t('drill.events')), evList),
    el('div.panel', el('h3', t('drill.expect')), result, el('table#drill-checks', checks)));
  render();
}
