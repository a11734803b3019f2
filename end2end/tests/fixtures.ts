import * as fs from 'fs';
import { test as base, expect, APIRequestContext, Locator, Page } from '@playwright/test';

export { ADMIN_STATE } from './auth-state';

/** The first admin (WXACODE_ADMIN_EMAIL / _PASSWORD in scripts/e2e.sh). */
export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? 'admin@example.com',
  password: process.env.E2E_ADMIN_PASSWORD ?? 'e2e admin password',
};

/** A context with nobody signed in, for `test.use`. */
export const SIGNED_OUT = { storageState: { cookies: [], origins: [] } };

/** The sandbox simulator's control API (see WXACODE_SANDBOX_ADDR in the Makefile). */
export const SIMULATOR_URL = process.env.SIMULATOR_URL ?? 'http://127.0.0.1:3901';

/** Browser errors seen during a test; `expect` names the ones a test provokes on purpose. */
export interface BrowserErrors {
  seen: string[];
  expected: RegExp[];
  expect(pattern: RegExp): void;
}

/**
 * Every test collects uncaught page errors and console errors and fails on any
 * it did not announce: a broken hydration often shows only there.
 */
export const test = base.extend<{ browserErrors: BrowserErrors }>({
  // REST calls from tests run as the signed-in admin, from this site's origin like the pages' own.
  request: async ({ playwright, baseURL, storageState }, use) => {
    const request = await playwright.request.newContext({
      baseURL,
      storageState: typeof storageState === 'string' ? storageState : undefined,
      extraHTTPHeaders: { origin: baseURL ?? '' },
    });
    await use(request);
    await request.dispose();
  },
  browserErrors: [
    async ({ page }, use) => {
      const errors: BrowserErrors = {
        seen: [],
        expected: [],
        expect(pattern: RegExp) {
          this.expected.push(pattern);
        },
      };
      page.on('pageerror', (error) => errors.seen.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.seen.push(`console: ${message.text()}`);
      });
      await use(errors);
      const unexpected = errors.seen.filter((e) => !errors.expected.some((pattern) => pattern.test(e)));
      expect(unexpected, 'no unexpected errors in the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Signs in through the real form; the page ends where `next` pointed (or `/`). */
export async function signIn(page: Page, email: string, password: string) {
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Waits until the WASM bundle has hydrated the page, so clicks reach Rust handlers. */
export async function gotoHydrated(page: Page, path: string) {
  await page.goto(path);
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
}

export async function setSimulatorFaults(faults: Record<string, unknown>) {
  const response = await fetch(`${SIMULATOR_URL}/__sim/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(response.ok).toBeTruthy();
}

export async function resetSimulator() {
  const response = await fetch(`${SIMULATOR_URL}/__sim/reset`, { method: 'POST' });
  expect(response.ok).toBeTruthy();
}

export async function simulatorCounters(): Promise<{ code_calls: number; images_returned: number }> {
  const response = await fetch(`${SIMULATOR_URL}/__sim/counters`);
  return response.json();
}

/** A scene no earlier run has used, so the store cannot answer it from a previous run. */
export function uniqueScene(prefix: string): string {
  return `${prefix}=${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** Generates through the REST API (quicker than the form when the form is not under test). */
export async function generateViaApi(request: APIRequestContext, body: Record<string, unknown>) {
  const response = await request.post('/api/qrcode', { data: body });
  expect(response.ok(), await response.text()).toBeTruthy();
  return response.json();
}

/** A living code (活码) made through the REST API, with a Chinese label and parameters. */
export async function livingViaApi(request: APIRequestContext, label = '双十一 · 海报') {
  const response = await request.post('/api/living-codes', {
    data: { label, target: { page: 'pages/promo/promo', params: [{ key: 'campaign', value: '双十一' }] }, fallback_page: 'pages/sorry/sorry' },
  });
  expect(response.ok(), await response.text()).toBeTruthy();
  return (await response.json()).code;
}

/** Clicks `trigger`, waits for the browser's download and returns its name and bytes. */
export async function downloadOf(page: Page, trigger: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(path) };
}

export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
