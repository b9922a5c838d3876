// First page load of the web desk from a cold server (tools/bench_server.sh; docs/benchmarks.md): starts
// `firebreak serve` on a fresh store, opens the desk in Debian's headless Chromium with a fresh profile (empty
// cache), and reports: process start -> listening, navigation -> load event (HTML, CSS, JS modules), -> the
// login form shown, and after signing in -> the status board drawn. Repeats RUNS times (a new server each time).
//   FIREBREAK_BINARY=build/release/cli/firebreak node bench/first_load.mjs [RUNS]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { chromium } = await import(join(here, '../tests/e2e/node_modules/playwright-core/index.mjs'));
const BIN = process.env.FIREBREAK_BINARY || join(here, '../build/release/cli/firebreak');
const RUNS = Number(process.argv[2] || 5);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const results = [];
for (let i = 0; i < RUNS; i += 1) {
  const work = mkdtempSync(join(tmpdir(), 'firebreak-load-'));
  const store = join(work, 'desk.sqlite');
  spawnSync(BIN, ['users', 'add', 'duty', '--role', 'city_hq_office', '--store', store], { input: 'duty-password\n' });
  const browser = await chromium.launchPersistentContext(join(work, 'profile'), { executablePath: '/usr/bin/chromium', args: ARGS });
  const page = browser.pages()[0] || await browser.newPage();
  const t0 = performance.now();
  const server = spawn(BIN, ['serve', '--store', store, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve) => {
    let out = '';
    server.stdout.on('data', (d) => { out += d; const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out); if (m) resolve(m[1]); });
  });
  const listening = performance.now() - t0;
  const n0 = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  const load = performance.now() - n0;
  await page.waitForSelector('#login[open]');
  const form = performance.now() - n0;
  const nav = await page.evaluate(() => {
    const e = performance.getEntriesByType('navigation')[0];
    return { ttfb: e.responseStart - e.requestStart, navLoad: e.loadEventEnd - e.startTime, resources: performance.getEntriesByType('resource').length };
  });
  await page.fill('#login input[name=username]', 'duty');
  await page.fill('#login input[name=password]', 'duty-password');
  const l0 = performance.now();
  await page.click('#login button[type=submit]');
  await page.waitForSelector('body[data-ready="1"]');
  const board = performance.now() - l0;
  results.push({ listening, load, form, board, ...nav });
  await browser.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  rmSync(work, { recursive: true, force: true });
}
const median = (k) => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
for (const r of results)
  console.log(`start->listening ${r.listening.toFixed(0)} ms; navigation->load ${r.load.toFixed(0)} ms (browser's timing: ${r.navLoad.toFixed(0)} ms, ttfb ${r.ttfb.toFixed(1)} ms, ${r.resources} resources); ->login form ${r.form.toFixed(0)} ms; sign in->board ${r.board.toFixed(0)} ms`);
console.log(`median of ${RUNS}: start->listening ${median('listening').toFixed(0)} ms, navigation->load ${median('load').toFixed(0)} ms, ->login form ${median('form').toFixed(0)} ms, sign in->board ${median('board').toFixed(0)} ms`);
