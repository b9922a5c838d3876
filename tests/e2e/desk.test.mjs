// End-to-end tests of the web duty desk in a real headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; no browser is ever downloaded). Each run: a fresh store with one user per role, the
// project's generated demo terrain, `firebreak serve` on a free 127.0.0.1 port with a test clock, two browsers
// with fresh profiles. Screenshots go to $FIREBREAK_SCREENSHOTS (the docs keep docs/screenshots/).
//
//   FIREBREAK_BINARY=build/release/cli/firebreak node tests/e2e/desk.test.mjs
// Exit 77 (ctest: skipped) when node_modules (npm ci) or /usr/bin/chromium is missing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.FIREBREAK_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(join(here, 'node_modules/playwright-core')) || !existsSync(CHROMIUM)) {
  console.error('e2e: skipped: needs `npm ci` in tests/e2e and Debian\'s chromium (tools/bootstrap.sh test installs both)');
  process.exit(77);
}
const { chromium } = await import('playwright-core');

const BIN = process.env.FIREBREAK_BINARY || join(here, '../../build/release/cli/firebreak');
const SOURCE = join(here, '../..');
const SHOTS = process.env.FIREBREAK_SCREENSHOTS || join(tmpdir(), 'firebreak-e2e-shots');
const START = '2026-04-04T08:05:00+08:00';
const USERS = [['duty', 'city_hq_office', '值班员甲'], ['director', 'office_director', '王主任'], ['deputy', 'deputy_commander', '李副指挥长']];
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', '--lang=zh-CN'];

let work, server, base;
const browsers = [];

function run(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8' });
  assert.equal(r.status, 0, `firebreak ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'firebreak-e2e-'));
  mkdirSync(SHOTS, { recursive: true });
  run(['demo-data', join(work, 'demo')]);
  const store = join(work, 'desk.sqlite');
  for (const [u, role, name] of USERS) run(['users', 'add', u, '--role', role, '--name', name, '--store', store], `${u}-password\n`);
  server = spawn(BIN, ['serve', '--store', store, '--listen', '127.0.0.1:0', '--test-clock', START,
    '--dem', join(work, 'demo/dem.tif'), '--layers', join(work, 'demo/layers.yaml'),
    '--forecast', '--forecast-hours', '12', '--forces', join(SOURCE, 'data/forces/liuzhou-demo.yaml'), '--scenarios', join(SOURCE, 'scenarios')],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`firebreak serve exited ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`no URL from firebreak serve: ${out}`)), 30000);
  });
});

after(async () => {
  for (const b of browsers) await b.close().catch(() => {});
  // Wait for the server to exit before removing its store: a SIGTERM'd server (or a
  // browser closing its profile) may still be writing into `work` for a moment.
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10000))]);
  }
  if (work) rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

// A browser with its own fresh profile (--user-data-dir), signed in as `user`.
async function browserAs(user) {
  const ctx = await chromium.launchPersistentContext(mkdtempSync(join(work, `profile-${user}-`)), {
    executablePath: CHROMIUM, args: ARGS, viewport: { width: 1400, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
  });
  browsers.push(ctx);
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', (e) => { throw e; });
  page.on('dialog', (d) => d.accept());
  await page.goto(base);
  await login(page, user);
  await page.waitForSelector('body[data-ready="1"]');
  return page;
}
async function login(page, user) {
  await page.waitForSelector('#login[open]');
  await page.fill('#login input[name=username]', user);
  await page.fill('#login input[name=password]', `${user}-password`);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#login', { state: 'hidden' });
}
async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: name !== 'map' }); }
// The desk's own API from inside the page (session cookie + CSRF token), e.g. to move the test clock.
function call(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const s = await (await fetch('/api/session')).json();
    const r = await fetch(p, { method: m, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf }, body: b ? JSON.stringify(b) : undefined });
    return { status: r.status, body: await r.json() };
  }, [method, path, body]);
}

let duty, deputy;

test('log in and enter a report that requires level III: the sheet and the map marker', async () => {
  duty = await browserAs('duty');
  assert.match(await page$text(duty, '#me'), /值班员甲/);
  await duty.goto(`${base}#/report`);
  await duty.waitForSelector('#report-form');
  await duty.fill('[name=incident_id]', 'RA-0404');
  await duty.fill('[name=reported_at]', '2026-04-04T08:00');
  await duty.selectOption('[name=county]', '融安县');
  await duty.fill('[name="location/lon"]', '109.32799');
  await duty.fill('[name="location/lat"]', '24.99108');
  await duty.fill('[name=open_fire_since]', '2026-04-04T08:00');
  await duty.fill('[name=burned_area_ha]', '120');
  await duty.selectOption('[name=controlled]', 'false');
  await duty.selectOption('[name=sensitive_period]', 'false');
  await duty.fill('[name="weather/wind_speed_ms"]', '6');
  await duty.fill('[name="weather/wind_dir_deg"]', '225');
  await shot(duty, 'report');
  await duty.click('#report-submit');
  const result = await duty.waitForSelector('#report-result [data-recorded="1"]');
  assert.equal(await result.getAttribute('data-level'), 'III');
  await duty.goto(`${base}#/sheet/RA-0404`);
  const sheet = await duty.waitForSelector('.sheet[data-incident="RA-0404"]');
  assert.equal(await sheet.getAttribute('data-required'), 'III');
  assert.match(await page$text(duty, '.sheet'), /6\.3\.2\.1\(1\)/);
  assert.match(await page$text(duty, '#declare-panel'), /不决定响应级别/, 'a duty officer gets no declare buttons');
  await shot(duty, 'sheet');
  await duty.goto(`${base}#/map/RA-0404`);
  await duty.waitForSelector('path.incident-marker.incident-RA-0404.level-III');
  await duty.waitForSelector('#eta-list li', { timeout: 30000 });
  await duty.waitForSelector('#terrain-box li');
  assert.match(await page$text(duty, '#terrain-box'), /严禁/, 'the plan\'s safety advice at the point');
  await duty.click('#forecast-run');  // the forecast perimeters, labelled projections
  await duty.waitForSelector('path.forecast-perimeter', { timeout: 30000 });
  assert.match(await page$text(duty, '#forecast-box'), /预测，非预案要求/);
  assert.ok((await duty.$$('#forecast-box .forecast-list li')).length > 0, 'the isochrone hours are listed');
  await shot(duty, 'map');
  // The sheet's forecast panel runs the same forecast: the server's cached answer, the same isochrones.
  const isoMap = await duty.$$eval('#forecast-box .forecast-list li', (n) => n.map((x) => x.textContent));
  await duty.goto(`${base}#/sheet/RA-0404`);
  await duty.click('#sheet-forecast-run');
  await duty.waitForSelector('#sheet-forecast .forecast-list li', { timeout: 30000 });
  assert.match(await page$text(duty, '#sheet-forecast'), /预测，非预案要求/);
  assert.deepEqual(await duty.$$eval('#sheet-forecast .forecast-list li', (n) => n.map((x) => x.textContent)), isoMap);
  await shot(duty, 'sheet-forecast');
  await duty.goto(`${base}#/board`);
  await duty.waitForSelector('#board tr[data-incident="RA-0404"]');
  await shot(duty, 'board');
});

test('a bad field is shown at the field and nothing is recorded; an expired session keeps the form', async () => {
  await duty.goto(`${base}#/report?incident=RA-0404`);
  await duty.waitForSelector('#report-form');
  await duty.waitForFunction(() => document.querySelector('[name=burned_area_ha]').value === '120');
  await duty.fill('[name=reported_at]', '2026-04-04T08:03');
  await duty.fill('[name=burned_area_ha]', '-3');
  await duty.click('#report-submit');
  const err = await duty.waitForSelector('.field-error[data-for="/burned_area_ha"]:not(:empty)');
  assert.match(await err.textContent(), /须 ≥ 0，实为 -3/);
  assert.equal(await duty.getAttribute('[name=burned_area_ha]', 'aria-invalid'), 'true');
  await shot(duty, 'report-error');
  let inc = await call(duty, 'GET', '/api/incidents/RA-0404');
  assert.equal(inc.body.reports.length, 1, 'nothing recorded');
  // The session expires mid-form: the desk asks to sign in again and sends the same report.
  await duty.fill('[name=burned_area_ha]', '130');
  assert.equal((await call(duty, 'POST', '/api/test/expire-sessions')).status, 200);
  await duty.click('#report-submit');
  await login(duty, 'duty');
  await duty.waitForSelector('#report-result [data-recorded="1"]');
  inc = await call(duty, 'GET', '/api/incidents/RA-0404');
  assert.equal(inc.body.reports.length, 2);
  assert.equal(inc.body.reports[1].body.burned_area_ha, 130);
});

test('declare as the wrong role: recorded with who, and the audit says so', async () => {
  const director = await browserAs('director');
  await director.goto(`${base}#/sheet/RA-0404`);
  await director.waitForSelector('button[data-declare="III"]');
  await director.click('button[data-declare="III"]');
  await director.waitForSelector('#sheet-declared [data-level="III"], #banner:not([hidden]):not(.info)');
  assert.equal(await director.$('#banner:not([hidden]):not(.info)'), null, await page$text(director, '#banner'));
  await director.goto(`${base}#/audit/RA-0404`);
  await director.waitForSelector('#timeline tr.decl');
  const frame = await (await director.waitForSelector('#audit-frame')).contentFrame();
  await frame.waitForSelector('body');
  const text = await frame.textContent('body');
  assert.match(text, /角色不符|越权/, 'the audit names the wrong role');
  assert.match(text, /指挥部办公室主任/);
  assert.match(await page$text(director, '.panel:last-child'), /director/, 'the desk record names the person');
  const audit = await call(director, 'GET', '/api/incidents/RA-0404/audit?format=json');
  assert.equal(audit.body.incidents[0].escalations[0].role, 'wrong-role');
  await shot(director, 'audit');
  const dl = await director.evaluate(async () => (await fetch(document.querySelector('#audit-download').href)).headers.get('Content-Disposition'));
  assert.match(dl, /attachment; filename="audit-RA-0404.html"/);
});

test('a countdown reaches zero with the test clock: red, sounding, until a person acknowledges it', async () => {
  // III is declared (by the wrong role); the clock (48 h of uncontrolled open fire outside a sensitive period)
  // makes level II due.
  await duty.goto(`${base}#/board`);
  const next = await duty.waitForSelector('#board tr[data-incident="RA-0404"] td.next .countdown');
  const due = await next.getAttribute('data-due');
  assert.equal(due, '2026-04-06T08:00:00+08:00');
  assert.equal(await next.getAttribute('data-state'), 'running');
  const before = new Date(Date.parse(due) - 3000 + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00';
  assert.equal((await call(duty, 'POST', '/api/test/clock', { set: before })).status, 200);
  // Within seconds the clock passes the due time; the server pushes the new status without any request.
  const item = await duty.waitForSelector('#alarm .item[data-item="level:II"]', { timeout: 10000 });
  assert.ok(item);
  assert.equal(await duty.getAttribute('#alarm', 'class'), 'alarm sounding');
  await duty.waitForSelector('#board tr.overdue[data-incident="RA-0404"] .duty.red[data-item="level:II"] .countdown[data-state="overdue"]');
  await shot(duty, 'board-overdue');
  await duty.click('#alarm .item[data-item="level:II"] button');
  await duty.waitForSelector('#board .duty[data-item="level:II"] .tag.green');
  assert.equal(await duty.$('#alarm .item[data-item="level:II"]'), null, 'acknowledged: no longer sounding for it');
  const inc = await call(duty, 'GET', '/api/status');
  const ack = inc.body.board[0].overdue.find((o) => o.item === 'level:II').ack;
  assert.equal(ack.username, 'duty');
});

test('two browsers see each other\'s changes', async () => {
  deputy = await browserAs('deputy');
  await duty.goto(`${base}#/board`);
  await duty.waitForSelector('#board tr[data-incident="RA-0404"] td:nth-child(4) [data-level="III"]');
  await duty.waitForSelector('#board tr[data-incident="RA-0404"] td:nth-child(3) [data-level="II"]');
  await deputy.goto(`${base}#/sheet/RA-0404`);
  await deputy.waitForSelector('button[data-declare="II"]');
  const t0 = Date.now();
  await deputy.click('button[data-declare="II"]');
  await duty.waitForSelector('#board tr[data-incident="RA-0404"] td:nth-child(4) [data-level="II"]', { timeout: 3000 });
  const seen = Date.now() - t0;
  assert.ok(seen < 1500, `the other browser saw the declaration after ${seen} ms`);
  // And back: a report from the duty officer reaches the deputy's open sheet.
  await call(duty, 'POST', '/api/reports', { incident_id: 'RA-0404', reported_at: '2026-04-04T08:04:00+08:00', burned_area_ha: 140 });
  await deputy.waitForFunction(() => [...document.querySelectorAll('.sheet table td')].some((td) => td.textContent.includes('04-04 08:04')), null, { timeout: 3000 });
});

test('drill: load a scenario, step it against the clock, expectations tick', async () => {
  await duty.goto(`${base}#/drill/03-sensitive-clock-escalation`);
  await duty.waitForSelector('#drill-checks tr');
  const pending = await duty.$$eval('#drill-checks tr[data-state="pending"]', (r) => r.length);
  assert.ok(pending > 0, 'nothing ticks before the clock runs');
  for (let i = 0; i < 6; i += 1) await duty.click('#drill-step');
  const ticked = await duty.$$eval('#drill-checks tr[data-state="ok"]', (r) => r.length);
  assert.ok(ticked > 0 && ticked < 26, `some expectations ticked (${ticked})`);
  await shot(duty, 'drill');
  for (let i = 0; i < 40; i += 1) await duty.click('#drill-step');
  await duty.waitForSelector('#drill-result[data-done="1"]');
  assert.match(await page$text(duty, '#drill-result'), /26\/26 \(26\).*PASS/);
});

test('shift handover: sign in, the sheet, sign out with a note (recorded)', async () => {
  await duty.goto(`${base}#/shift`);
  await duty.click('#sign-in');
  await duty.waitForSelector('#shift-me[data-on-duty="1"]');
  assert.match(await page$text(duty, '.handover'), /RA-0404/);
  await duty.fill('#shift-note', '已宣布Ⅱ级；Ⅰ级待指挥长决定');
  await shot(duty, 'shift');
  await duty.click('#sign-out');
  await duty.waitForSelector('#shift-me[data-on-duty="0"]');
  const shift = await call(duty, 'GET', '/api/shift');
  const out = shift.body.events.find((e) => e.kind === 'sign_out');
  assert.equal(out.note, '已宣布Ⅱ级；Ⅰ级待指挥长决定');
  assert.equal(out.handover.open_incidents[0].incident_id, 'RA-0404');
  const verify = await call(duty, 'GET', '/api/store/verify');
  assert.equal(verify.body.ok, true);
});

test('English switch', async () => {
  await duty.goto(`${base}#/board`);
  await duty.click('#lang');
  await duty.waitForSelector('#board');
  assert.match(await page$text(duty, 'main h1'), /Open incidents/);
  assert.match(await page$text(duty, '#nav'), /Status board/);
  await shot(duty, 'board-en');
  await duty.click('#lang');
});

test('a late report (earlier than one recorded before it) is recorded and marked on the sheet', async () => {
  const report = (at, ha) => ({ incident_id: 'LC-LATE', reported_at: at, county: '柳城县', open_fire_since: '2026-04-04T07:00:00+08:00',
    burned_area_ha: ha, controlled: false });
  assert.equal((await call(duty, 'POST', '/api/reports', report('2026-04-04T08:02:00+08:00', 5))).status, 201);
  assert.equal((await call(duty, 'POST', '/api/reports', report('2026-04-04T07:40:00+08:00', 2))).status, 201);
  await duty.goto(`${base}#/sheet/LC-LATE`);
  await duty.waitForSelector('.sheet[data-incident="LC-LATE"]');
  const tags = await duty.$$eval('.tag.amber', (n) => n.map((x) => x.textContent));
  assert.deepEqual(tags.filter((x) => x === '迟报'), ['迟报'], 'exactly the late one is marked');
  assert.deepEqual(await duty.$$eval('.recorded-at', (n) => n.length), 1, 'with the moment the desk recorded it');
});

async function page$text(page, sel) { return (await page.textContent(sel)) || ''; }
