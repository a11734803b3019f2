import { chromium } from '@playwright/test';
export const BASE = 'http://127.0.0.1:3300';
export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run','--disable-quic'] });
}
export const log = [];
export function watch(page, tag) {
  const t = () => (typeof tag === 'function' ? tag() : tag);
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') { const s = `[${t()}] console.${m.type()}: ${m.text()}`; log.push(s); console.log(s); } });
  page.on('pageerror', e => { const s = `[${t()}] pageerror: ${e.message}`; log.push(s); console.log(s); });
  page.on('response', r => { if (r.status() >= 400) { const s = `[${t()}] HTTP ${r.status()} ${r.url()}`; log.push(s); console.log(s); } });
  page.on('requestfailed', r => { const s = `[${t()}] reqfailed ${r.url()} ${r.failure()?.errorText}`; log.push(s); console.log(s); });
}
export async function hydrated(page, timeout = 15000) {
  const t0 = Date.now();
  await page.waitForSelector('body[data-hydrated="true"]', { timeout });
  return Date.now() - t0;
}
export async function login(page) {
  await page.goto(BASE + '/login');
  await hydrated(page);
  await page.fill('#email', 'admin@example.com');
  await page.fill('#password', 'walk-admin-2026');
  await Promise.all([page.waitForURL(u => !u.pathname.startsWith('/login'), { timeout: 15000 }), page.click('form button[type=submit]')]);
}
