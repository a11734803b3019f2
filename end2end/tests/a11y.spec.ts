// No serious or critical accessibility problem (axe-core) on any page, at phone and
// desktop widths, in both languages.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, SIGNED_OUT, generateViaApi, gotoHydrated, livingViaApi, resetSimulator, uniqueScene } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

async function seriousProblems(page: any): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

for (const lang of ['zh', 'en']) {
  test(`every dashboard page passes axe at 375 and 1280 px in ${lang}`, async ({ page, request, baseURL, browserErrors }) => {
    test.setTimeout(120_000);
    browserErrors.expect(/status of 404/);
    await page.context().addCookies([{ name: 'wxacode_lang', value: lang, url: baseURL! }]);
    const code = await generateViaApi(request, { scene: uniqueScene('axe'), label: '双十一 Singles Day' });
    const living = await livingViaApi(request);
    // Links and a jump link, so their tables are checked too.
    expect((await request.post('/api/links', { data: { code_id: code.id, expire_days: 3 } })).ok()).toBeTruthy();
    expect((await request.post('/api/jump-links', { data: { label: '春季短信' } })).ok()).toBeTruthy();
    const paths = ['/', '/history', '/batches', '/campaigns', '/links', '/audit', '/users', '/keys', '/account', `/codes/${code.id}`, `/codes/${living.id}`, '/no/such/page'];
    const found: string[] = [];
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of paths) {
        await gotoHydrated(page, path);
        for (const problem of await seriousProblems(page)) found.push(`${width}px ${path}: ${problem}`);
      }
    }
    expect(found).toEqual([]);
  });
}

test.describe('signed out', () => {
  test.use(SIGNED_OUT);

  test('the sign-in, setup and share pages pass axe', async ({ page, playwright, baseURL }) => {
    const admin = await playwright.request.newContext({ baseURL, storageState: '.auth/admin.json', extraHTTPHeaders: { origin: baseURL! } });
    const code = await generateViaApi(admin, { scene: uniqueScene('axe-share') });
    await admin.dispose();
    const found: string[] = [];
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of ['/login', '/setup', new URL(code.share_url).pathname]) {
        await gotoHydrated(page, path);
        for (const problem of await seriousProblems(page)) found.push(`${width}px ${path}: ${problem}`);
      }
    }
    expect(found).toEqual([]);
  });
});
