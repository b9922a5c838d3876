// DOM building without innerHTML (nothing the server or a user typed is ever parsed as HTML), times, levels.
import { t, lang, pick } from './i18n.js';

// el('div.cls#id', {attrs, on: {click}}, ...children): children are nodes, strings or arrays.
export function el(spec, attrs, ...children) {
  const m = /^([a-z0-9]+)?((?:[.#][\w-]+)*)$/i.exec(spec);
  const node = document.createElement((m && m[1]) || 'div');
  if (m && m[2]) for (const part of m[2].match(/[.#][\w-]+/g)) {
    if (part[0] === '.') node.classList.add(part.slice(1)); else node.id = part.slice(1);
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'text') node.textContent = v;
    else if (k in node && k !== 'list' && typeof v !== 'string') node[k] = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

export function clear(node) { while (node.firstChild) node.firstChild.remove(); return node; }
// Replaces a node's children (arrays flattened; null, undefined and false skipped).
export function fill(node, ...children) { return append(clear(node), children); }

// Levels: "III" -> "Ⅲ级" (zh) / "level III" (en), with a coloured badge.
const ROMAN_ZH = { IV: 'Ⅳ级', III: 'Ⅲ级', II: 'Ⅱ级', I: 'Ⅰ级' };
export function levelName(l) {
  if (!l) return t('level.none');
  return lang() === 'en' ? `level ${l}` : ROMAN_ZH[l] || l;
}
export function levelBadge(l) {
  return el(`span.lv.lv-${l || 'none'}`, { dataset: { level: l || 'none' } }, levelName(l));
}
export const LEVELS = ['IV', 'III', 'II', 'I'];
export function levelRank(l) { return l ? LEVELS.indexOf(l) + 1 : 0; }

// ISO 8601 with offset -> epoch ms.
export function ms(iso) { return iso ? Date.parse(iso) : NaN; }

// "04-04 14:00" in the time's own offset (the desk's, +08:00).
export function short(iso) {
  if (!iso) return '—';
  const m = /^\d{4}-(\d\d)-(\d\d)T(\d\d):(\d\d)/.exec(iso);
  return m ? `${m[1]}-${m[2]} ${m[3]}:${m[4]}` : iso;
}
export function full(iso) {
  if (!iso) return '—';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

// A duration in seconds as "2小时05分" / "2 h 05 min" (negative: how long ago).
export function duration(s) {
  const a = Math.abs(Math.round(s));
  const d = Math.floor(a / 86400), h = Math.floor((a % 86400) / 3600), m = Math.floor((a % 3600) / 60), sec = a % 60;
  const two = (n) => String(n).padStart(2, '0');
  if (lang() === 'en') return d ? `${d} d ${h} h ${two(m)} min` : h ? `${h} h ${two(m)} min` : `${m} min ${two(sec)} s`;
  return d ? `${d}天${h}小时${two(m)}分` : h ? `${h}小时${two(m)}分` : `${m}分${two(sec)}秒`;
}

// A role or unit id's name from the meta ({id: {zh, en}}).
export function nameOf(meta, id) {
  const n = meta && meta.names && meta.names[id];
  return n ? pick(n) : id;
}
export function names(meta, ids) { return (ids || []).map((id) => nameOf(meta, id)).join(lang() === 'en' ? ', ' : '、'); }

// ISO 8601 of a <input type=datetime-local> value in +08:00, and back.
export function fromLocalInput(v) { return v ? (v.length === 16 ? `${v}:00+08:00` : `${v}+08:00`) : ''; }
export function toLocalInput(iso) {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d)/.exec(iso || '');
  return m ? m[1] : '';
}
// Server time now (ms), from the last status snapshot's "now" and when it arrived.
let skew = 0;
export function setServerNow(iso) { const v = ms(iso); if (!Number.isNaN(v)) skew = v - Date.now(); }
export function serverNow() { return Date.now() + skew; }
// ISO 8601 in +08:00 for an epoch ms.
export function isoAt(msValue) {
  const d = new Date(msValue + 8 * 3600e3);
  return d.toISOString().slice(0, 19) + '+08:00';
}

// A message across the top of the page (errors from the server; `info` for good news).
export function banner(text, info = false) {
  const b = document.getElementById('banner');
  b.textContent = text || '';
  b.hidden = !text;
  b.classList.toggle('info', info);
}
