import { Browser } from '@playwright/test';
import {
  test,
  expect,
  ADMIN,
  ADMIN_STATE,
  SIGNED_OUT,
  generateViaApi,
  gotoHydrated,
  resetSimulator,
  signIn,
  uniqueScene,
} from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

/** A fresh browser context with nobody signed in. */
async function signedOutPage(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ ...SIGNED_OUT, baseURL, locale: 'zh-CN' });
  return { context, page: await context.newPage() };
}

/** Adds an account through the users page, as an admin does. */
async function addAccount(page: any, email: string, password: string, role: 'admin' | 'member' | 'viewer') {
  await gotoHydrated(page, '/users');
  await page.locator('input[name="new-email"]').fill(email);
  await page.locator('input[name="new-password"]').fill(password);
  await page.getByLabel('新账号的角色').selectOption(role);
  await page.getByRole('button', { name: '添加', exact: true }).click();
  await expect(page.locator(`tr[data-email="${email}"]`)).toBeVisible();
}

test.describe('signed out', () => {
  test.use(SIGNED_OUT);

  test('a wrong password is refused with a clear message and the form keeps the email', async ({ page, browserErrors }) => {
    browserErrors.expect(/status of 400/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
    await signIn(page, 'nobody@example.com', 'not the password');
    await expect(page.getByRole('alert')).toHaveText('邮箱或密码不正确');
    await expect(page.getByLabel('邮箱')).toHaveValue('nobody@example.com');
    await expect(page).toHaveURL(/\/login/);
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: `screenshots/login-${width}.png`, fullPage: true });
    }
  });

  test('a share link opens with nobody signed in and shows only its own code', async ({ page, playwright, baseURL }) => {
    const admin = await playwright.request.newContext({ baseURL, storageState: ADMIN_STATE, extraHTTPHeaders: { origin: baseURL! } });
    const code = await generateViaApi(admin, { scene: uniqueScene('public'), label: '公开海报' });
    await admin.dispose();
    await gotoHydrated(page, new URL(code.share_url).pathname);
    await expect(page.getByRole('img')).toBeVisible();
    // The label is an internal name: the sharer did not choose to show it.
    await expect(page.getByRole('heading', { name: '小程序码' })).toBeVisible();
    await expect(page.locator('.topbar')).toHaveCount(0);
    const html = await page.content();
    expect(html).not.toContain('公开海报');
    expect(html).not.toContain(`/api/codes/${code.id}`);
    expect(html).not.toContain(ADMIN.email);
    const api = await page.request.get('/api/codes');
    expect(api.status()).toBe(401);
  });
});

test('a viewer signs in and finds no way to generate, delete or share', async ({ page, browser, baseURL, request }) => {
  const email = `viewer-${Date.now()}@example.com`;
  const code = await generateViaApi(request, { scene: uniqueScene('viewer') });
  await addAccount(page, email, 'viewer password 1', 'viewer');

  const { context, page: viewer } = await signedOutPage(browser, baseURL);
  await viewer.goto('/history');
  await signIn(viewer, email, 'viewer password 1');
  await expect(viewer).toHaveURL(`${baseURL}/history`);
  await expect(viewer.locator('.role-badge')).toHaveText('只读');
  const row = viewer.locator('tbody tr').filter({ hasText: code.scene });
  await expect(row).toBeVisible();
  await expect(row).toContainText(ADMIN.email); // who created it
  await expect(row.getByRole('button', { name: '删除' })).toHaveCount(0);
  await expect(row.getByRole('link', { name: '下载' })).toBeVisible();
  await expect(viewer.getByRole('link', { name: '操作记录' })).toHaveCount(0);
  await expect(viewer.getByRole('link', { name: '账号' })).toHaveCount(0);

  await gotoHydrated(viewer, '/');
  await expect(viewer.getByRole('note')).toContainText('只读账号');
  await expect(viewer.locator('#scene')).toHaveCount(0);
  await gotoHydrated(viewer, `/codes/${code.id}`);
  await expect(viewer.getByRole('button', { name: '删除' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /停用链接/ })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: '强制重新生成' })).toHaveCount(0);
  await gotoHydrated(viewer, '/batches');
  await expect(viewer.locator('input[type="file"]')).toHaveCount(0);
  for (const path of ['/users', '/keys', '/audit']) {
    await gotoHydrated(viewer, path);
    await expect(viewer.getByRole('heading', { name: '仅限管理员' })).toBeVisible();
    await expect(viewer.locator('form, table')).toHaveCount(0);
    await expect(viewer.getByRole('alert')).toHaveCount(0);
  }

  // Even a hand-made request is refused by the server, not just hidden by the page.
  const forced = await viewer.request.post('/api/qrcode', {
    data: { scene: uniqueScene('forced') },
    headers: { origin: baseURL! },
  });
  expect(forced.status()).toBe(403);

  // Everyone can change their own password, from the account page behind their name.
  await viewer.locator('.account-name').click();
  await expect(viewer).toHaveURL(/\/account$/);
  await viewer.getByLabel('当前密码').fill('viewer password 1');
  await viewer.getByLabel('新密码', { exact: true }).fill('viewer password 2');
  await viewer.getByLabel('再次输入新密码').fill('viewer password 2');
  await viewer.getByRole('button', { name: '修改密码' }).click();
  await expect(viewer.locator('.notice')).toContainText('密码已修改');

  await viewer.getByRole('button', { name: '退出' }).click();
  await expect(viewer).toHaveURL(/\/login$/);
  await viewer.goto('/history');
  await expect(viewer).toHaveURL(/\/login\?next=/);
  await signIn(viewer, email, 'viewer password 2');
  await expect(viewer).toHaveURL(`${baseURL}/history`);
  await context.close();
});

test('a new account’s email is checked in the page’s language, not the browser’s', async ({ page, browserErrors }) => {
  browserErrors.expect(/status of 400/);
  await gotoHydrated(page, '/users');
  await page.locator('input[name="new-email"]').fill('not-an-email');
  await page.locator('input[name="new-password"]').fill('a long enough passphrase');
  await page.getByRole('button', { name: '添加', exact: true }).click();
  await expect(page.getByText('请输入有效的邮箱地址，例如 name@example.com')).toBeVisible();
  await expect(page.locator('input[name="new-email"]')).toHaveValue('not-an-email');
});

test('an admin makes an API key, sees it once, and revokes it', async ({ page, playwright, baseURL }) => {
  const name = `crm ${Date.now()}`;
  await gotoHydrated(page, '/keys');
  await page.locator('input[name="key-name"]').fill(name);
  await page.getByLabel('密钥的角色').selectOption('member');
  await page.getByRole('button', { name: '创建密钥' }).click();
  const secret = (await page.getByTestId('new-key').textContent())!.trim();
  expect(secret).toMatch(/^wxa_/);

  const client = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const generated = await client.post('/api/qrcode', { data: { scene: uniqueScene('key') } });
  expect(generated.status()).toBe(200);
  expect((await generated.json()).code.created_by).toBe(`API key: ${name}`);

  await page.reload();
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  expect(await page.content()).not.toContain(secret);
  const row = page.locator(`tr[data-key="${name}"]`);
  await expect(row).toContainText(secret.slice(0, 10));
  await row.getByRole('button', { name: '吊销' }).click();
  await expect(row).toContainText('已吊销');
  expect((await client.get('/api/codes')).status()).toBe(401);
  await client.dispose();
});

test('when the session ends mid-use, the next action leads to sign-in and back, form kept', async ({ page, browser, baseURL }) => {
  const email = `member-${Date.now()}@example.com`;
  await addAccount(page, email, 'member password 1', 'member');
  const { context, page: member } = await signedOutPage(browser, baseURL);
  await member.goto('/');
  await signIn(member, email, 'member password 1');
  await expect(member).toHaveURL(`${baseURL}/`);
  await member.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });

  await context.clearCookies(); // as when the session idles out with the tab left open
  const scene = uniqueScene('late');
  await member.locator('#scene').fill(scene);
  await member.getByRole('button', { name: '生成小程序码' }).click();
  await expect(member).toHaveURL(/\/login\?next=%2F%3Fscene%3D/);

  await signIn(member, email, 'member password 1');
  await expect(member).toHaveURL(/\/\?scene=/);
  await member.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(member.locator('#scene')).toHaveValue(scene);
  await context.close();
});

test('the API reference opens from the API keys page and lists the endpoints, offline', async ({ page }) => {
  await gotoHydrated(page, '/keys');
  await page.getByRole('link', { name: '查看 API 参考文档' }).click();
  await expect(page).toHaveURL(/\/api\/docs\/?$/);
  // Swagger UI renders the operations from /api/openapi.json, every file served by this server.
  await expect(page.locator('.opblock-summary-path', { hasText: '/api/qrcode' })).toBeVisible();
  await expect(page.locator('.opblock-summary-path', { hasText: '/api/batches/preview' })).toBeVisible();
  await expect(page.locator('.opblock-summary-path', { hasText: '/api/batches/{id}/pause' })).toBeVisible();
  const external = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((r) => r.name).filter((url) => !url.startsWith(location.origin)),
  );
  expect(external, 'nothing is loaded from another host').toEqual([]);
});
