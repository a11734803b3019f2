import { test, expect, gotoHydrated, resetSimulator, uniqueScene } from './fixtures';

/** The wasm and script files a page fetched from /pkg, by name. */
function pkgFetches(page: import('@playwright/test').Page): string[] {
  const names: string[] = [];
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith('/pkg/')) names.push(path.slice('/pkg/'.length));
  });
  return names;
}

test('the generator loads none of the other pages, which arrive when first opened', async ({ page }) => {
  const fetched = pkgFetches(page);
  await gotoHydrated(page, '/');
  expect(fetched.filter((name) => name.startsWith('split_')), 'no page group with the generator').toEqual([]);

  // A click in the header: the history's group is fetched then, and the page works.
  await page.getByRole('navigation').getByRole('link', { name: '历史记录' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '历史记录' })).toBeVisible();
  expect(fetched.some((name) => name.startsWith('split_review_pages'))).toBeTruthy();
  expect(fetched.some((name) => name.startsWith('split_admin_pages'))).toBeFalsy();

  // Back on the generator, its form still answers typing (the main bundle kept running).
  await page.goBack();
  await page.getByLabel('场景值 scene').fill('a b');
  await expect(page.getByText('不允许的字符')).toBeVisible();
});

test('while the code of a clicked page is on its way, a bar along the top says so', async ({ page }) => {
  await gotoHydrated(page, '/');
  // A slow connection: the campaigns' group takes a second and a half.
  await page.route(/\/pkg\/split_campaign_pages\./, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  const bar = page.locator('.route-progress');
  await expect(bar).not.toHaveClass(/active/);
  await page.getByRole('navigation').getByRole('link', { name: '批量生成' }).click();
  await expect(bar).toHaveClass(/active/);
  // Grown past its first 150 ms: visible, not a zero-width line.
  await expect.poll(async () => (await bar.boundingBox())?.width ?? 0).toBeGreaterThan(10);
  await expect(page.getByRole('heading', { level: 1, name: '批量生成' })).toBeVisible();
  await expect(bar).not.toHaveClass(/active/);
});

test('a page opened directly names its group for the browser to fetch beside the bundle', async ({ page, request }) => {
  const html = await (await request.get('/users')).text();
  const preloads = [...html.matchAll(/<link[^>]*href="\/pkg\/([\w.-]+\.wasm)"[^>]*>/g)].map((m) => m[1]);
  expect(preloads.some((name) => name.startsWith('split_admin_pages')), `${preloads}`).toBeTruthy();
  const modulePreloads = (html.match(/<link[^>]*>/g) ?? []).filter((link) => link.includes('rel="modulepreload"'));
  expect(modulePreloads.some((link) => /href="\/pkg\/__wasm_split\.[\w-]{22}\.js"/.test(link)), `${modulePreloads}`).toBeTruthy();

  await gotoHydrated(page, '/users');
  await expect(page.getByRole('heading', { level: 1, name: '账号' })).toBeVisible();
  // Hydrated: the page's own buttons respond.
  await page.getByRole('button', { name: '设置新密码' }).first().click();
  await expect(page.getByLabel('新密码')).toBeVisible();
});

test('a page whose code is gone (a new deploy) loads afresh instead of stopping the app', async ({ page, browserErrors }) => {
  browserErrors.expect(/ERR_FAILED|failed to load|Failed to fetch|split/i);
  await gotoHydrated(page, '/');
  // The first fetch of the admin group fails, as a chunk of an older deploy would.
  let refused = 0;
  await page.route(/\/pkg\/split_admin_pages\./, async (route) => {
    if (refused++ === 0) await route.abort();
    else await route.continue();
  });
  await page.evaluate(() => ((window as any).beforeTheClick = true));
  await page.locator('a.account-name').click();
  await expect(page.getByRole('heading', { level: 1, name: '我的账号' })).toBeVisible();
  expect(refused).toBeGreaterThanOrEqual(2);
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(page).toHaveURL(/\/account$/);
  expect(await page.evaluate(() => (window as any).beforeTheClick), 'a fresh page load').toBeUndefined();
});

test('before its code has arrived, a form with a password cannot be sent (it would land in the address)', async ({ page, browserErrors }) => {
  browserErrors.expect(/ERR_FAILED|Failed to fetch|failed to load|wasm|WebAssembly/i);
  // The page's code never arrives: the server-rendered form is all there is.
  await page.route(/\/pkg\/.*\.wasm$/, (route) => route.abort());
  await page.goto('/users');
  const add = page.getByRole('button', { name: '添加', exact: true });
  await expect(add).toBeDisabled();
  await page.locator('input[name="new-email"]').fill('early@example.com');
  await page.locator('input[name="new-password"]').fill('Early-pass-123');
  await page.locator('input[name="new-password"]').press('Enter');
  await page.waitForTimeout(500);
  expect(page.url()).not.toContain('Early-pass-123');
  await expect(page).toHaveURL(/\/users$/);
});

test('the generator’s first view needs only the main bundle; its other parts come once the form is used', async ({ page }) => {
  await resetSimulator();
  const fetched = pkgFetches(page);
  await gotoHydrated(page, '/');
  await page.waitForTimeout(300);
  expect(fetched.filter((name) => name.startsWith('split_')), 'nothing but the main bundle').toEqual([]);

  // Typing a scene brings the parts: what the mini program receives, then the code made.
  const scene = uniqueScene('parts');
  await page.getByLabel('场景值 scene').fill(scene);
  await expect(page.getByText('小程序 onLoad 收到 options.scene =')).toBeVisible();
  expect(fetched.some((name) => name.startsWith('split_generator_parts'))).toBeTruthy();
  await page.getByText('用键值对组成场景值').click();
  await expect(page.getByRole('textbox', { name: '键', exact: true }).first()).toHaveValue(scene.split('=')[0]);
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page.getByRole('img', { name: `小程序码，场景值 ${scene}` })).toBeVisible();
  await page.locator('#living').check();
  await expect(page.locator('#target_page')).toBeVisible();
});

test('a generator whose parts cannot be fetched says so where they stand, without reloading again and again', async ({ page, browserErrors }) => {
  browserErrors.expect(/ERR_FAILED|Failed to fetch|failed to load|split/i);
  await page.route(/\/pkg\/split_generator_parts\./, (route) => route.abort());
  await gotoHydrated(page, '/');
  await page.evaluate(() => ((window as any).loadedOnce = true));
  await page.getByLabel('场景值 scene').fill('id=7');
  await expect(page.getByText('这部分页面未能载入，请刷新重试。')).toBeVisible();
  // The rest of the form works, and asking for a code says what went wrong.
  await page.getByLabel('标签（活动 / 渠道，可选）').fill('门店');
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page.locator('.result [role="alert"]')).toHaveText('这部分页面未能载入，请刷新重试。');
  expect(await page.evaluate(() => (window as any).loadedOnce), 'the same page, not reloaded').toBe(true);
});

test('a page served with a part whose code cannot be fetched says so at its top, instead of failing silently', async ({ page, browserErrors }) => {
  browserErrors.expect(/ERR_FAILED|Failed to fetch|failed to load|split/i);
  await page.route(/\/pkg\/split_generator_parts\./, (route) => route.abort());
  await page.goto('/?living=1&target=pages%2Fpromo%2Fpromo');
  await expect(page.locator('#target_page')).toHaveValue('pages/promo/promo');
  await expect(page.locator('body > .page-alert')).toHaveText('页面代码未能载入，请刷新重试。');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(0);
  // Sent without the page's code, the living fields would be lost: the button waits for a reload.
  await expect(page.locator('#living')).toBeChecked();
  await expect(page.getByRole('button', { name: '生成活码' })).toBeDisabled();
});
