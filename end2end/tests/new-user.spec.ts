// What a new user tripped over (issue 16), each as the person met it.
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
  setSimulatorFaults,
  signIn,
  uniqueScene,
} from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

const historyRow = (page: any, scene: string) => page.locator('tbody tr').filter({ hasText: scene });

async function applyFilter(page: any) {
  await page.getByRole('button', { name: '筛选' }).click();
}

test('the date filter means the days the reader sees, in their own time zone', async ({ browser, baseURL, request }) => {
  const scene = uniqueScene('tz');
  await generateViaApi(request, { scene });
  // A zone whose date differs from UTC's right now (Kiritimati is UTC+14, Pago Pago UTC−11).
  const hour = new Date().getUTCHours();
  const [timezoneId, offset] = hour >= 10 ? ['Pacific/Kiritimati', 14] : ['Pacific/Pago_Pago', -11];
  const localDay = new Date(Date.now() + offset * 3600_000).toISOString().slice(0, 10);
  const utcDay = new Date().toISOString().slice(0, 10);
  expect(localDay).not.toBe(utcDay);

  const context = await browser.newContext({ baseURL, storageState: ADMIN_STATE, locale: 'zh-CN', timezoneId });
  const page = await context.newPage();
  await gotoHydrated(page, `/history?q=${encodeURIComponent(scene)}`);
  for (const [day, rows] of [[localDay, 1], [utcDay, 0]] as const) {
    await page.getByLabel('从').fill(day);
    await page.getByLabel('到').fill(day);
    await applyFilter(page);
    await expect(page).toHaveURL(new RegExp(`from=${day}.*tz=Pacific`));
    await expect(historyRow(page, scene)).toHaveCount(rows);
  }
  await context.close();
});

test('a deleted code shows in the deleted view at once, and a restored one back in the list', async ({ page, request }) => {
  const scene = uniqueScene('gone');
  await generateViaApi(request, { scene });
  await gotoHydrated(page, `/history?q=${encodeURIComponent(scene)}`);
  await expect(page.locator('.pager-range')).toHaveText('第 1 个，共 1 个');
  const row = historyRow(page, scene);
  // The row menu closes on Escape, and opens again.
  await row.locator('summary').click();
  await expect(row.getByRole('button', { name: '删除' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(row.getByRole('button', { name: '删除' })).toBeHidden();
  await row.locator('summary').click();
  await row.getByRole('button', { name: '删除' }).click();
  await expect(row).toHaveCount(0);
  await expect(page.locator('.pager-range')).toHaveText('');
  // The search's only code went: the page says so as a fresh load would, not "refresh".
  await expect(page.getByText('没有符合条件的小程序码')).toBeVisible();

  await page.getByLabel('已删除').check();
  await applyFilter(page);
  await expect(row).toHaveCount(1);
  // A deleted code's share link answers 404: nothing offers to copy it, and no menu hides Restore.
  await expect(row.getByRole('button', { name: '复制链接' })).toHaveCount(0);
  await expect(row.locator('summary')).toHaveCount(0);
  await row.getByRole('button', { name: '恢复' }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByText('没有已删除的小程序码')).toBeVisible();

  await page.getByLabel('已删除').uncheck();
  await applyFilter(page);
  await expect(row).toHaveCount(1);
});

test('generating with a problem inside 高级选项 opens it and goes to the field; a reload keeps it open', async ({ page }) => {
  await gotoHydrated(page, '/?scene=abc');
  const advanced = page.locator('details.advanced');
  await page.getByText('高级选项').click();
  await page.locator('#width').fill('100');
  await page.getByText('高级选项').click();
  await expect(advanced).not.toHaveAttribute('open');
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(advanced).toHaveAttribute('open', '');
  await expect(page.locator('#width')).toBeFocused();
  await expect(page.getByRole('alert')).toContainText('还有 1 处需要修改');
  await expect(page.locator('#width-problems')).toContainText('当前为 100');

  // The address holds the width: opened again, the section shows it and what is wrong with it.
  await expect(page).toHaveURL(/width=100/);
  await gotoHydrated(page, page.url());
  await expect(advanced).toHaveAttribute('open', '');
  await expect(page.locator('#width')).toHaveValue('100');
  await expect(page.locator('#width-problems')).toContainText('当前为 100');
});

test('validation messages follow the value typed now', async ({ page }) => {
  await gotoHydrated(page, '/');
  await page.getByText('高级选项').click();
  const width = page.locator('#width');
  await width.fill('100');
  await expect(page.locator('#width-problems')).toContainText('当前为 100');
  await width.fill('2000');
  await expect(page.locator('#width-problems')).toContainText('当前为 2000');
  await expect(page.locator('#width-problems')).not.toContainText('当前为 100');
  // A cleared box means the default width, not the last number typed.
  await width.fill('');
  await expect(page.locator('#width-problems')).toHaveText('');

  const scene = page.locator('#scene');
  await scene.fill('abc def');
  await expect(page.locator('#scene-problems')).toContainText('U+0020');
  await scene.fill('abc<def');
  await expect(page.locator('#scene-problems')).toContainText('“<”');
  await expect(page.locator('#scene-problems')).not.toContainText('U+0020');
});

test('a server error on a form goes once the field is edited', async ({ page, browserErrors }) => {
  browserErrors.expect(/status of 400/);
  await gotoHydrated(page, '/account');
  await page.getByLabel('当前密码').fill('not my password');
  await page.getByLabel('新密码', { exact: true }).fill('another long password');
  await page.getByLabel('再次输入新密码').fill('another long password');
  await page.getByRole('button', { name: '修改密码' }).click();
  await expect(page.getByRole('alert')).toContainText('当前密码不正确');
  await page.getByLabel('当前密码').fill(ADMIN.password);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the scene field and the key=value rows stay one truth', async ({ page }) => {
  await gotoHydrated(page, '/');
  const scene = page.locator('#scene');
  await scene.fill('id=1');
  await page.getByText('用键值对组成场景值').click();
  await scene.fill('id=1&from=poster');
  const values = page.getByLabel('值', { exact: true });
  await expect(values).toHaveCount(2);
  await expect(values.nth(1)).toHaveValue('poster');
  await values.nth(0).fill('123');
  await expect(scene).toHaveValue('id=123&from=poster');
  // An & inside a value would split it into another pair: the helper says so.
  await values.nth(1).fill('海报&x');
  await expect(page.locator('.scene-helper .warn')).toContainText('&');
});

/** A separate session of the admin, so signing it out leaves the shared one alone. */
async function freshAdmin(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ ...SIGNED_OUT, baseURL, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('/history');
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/history$/);
  return { context, page };
}

test('Back after signing out does not show the history again', async ({ browser, baseURL, request }) => {
  const scene = uniqueScene('back');
  await generateViaApi(request, { scene });
  const { context, page } = await freshAdmin(browser, baseURL);
  await expect(historyRow(page, scene)).toHaveCount(1);
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/login\?next=%2Fhistory/);
  await expect(page.locator('tbody tr')).toHaveCount(0);
  await context.close();
});

test('each page has its own title, and the document its language', async ({ page }) => {
  await gotoHydrated(page, '/history');
  await expect(page).toHaveTitle('历史记录 · 小程序码生成器');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveTitle('History · Mini Program Code Generator');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
  // The server renders the chosen language too.
  const html = await (await page.request.get('/batches')).text();
  expect(html).toContain('<html lang="en-GB"');
  expect(html).toContain('<title>Batch generation · Mini Program Code Generator</title>');
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page).toHaveTitle('历史记录 · 小程序码生成器');
});

test.describe('signed out', () => {
  test.use(SIGNED_OUT);

  test('the setup page says it is done instead of showing a form', async ({ page }) => {
    for (const path of ['/setup', '/setup?token=used-or-made-up']) {
      await gotoHydrated(page, path);
      await expect(page.getByRole('heading', { name: '已完成设置' })).toBeVisible();
      await expect(page.locator('input[type="password"]')).toHaveCount(0);
      await expect(page.getByRole('link', { name: '去登录' })).toBeVisible();
    }
  });
});

test('signing in before the script has loaded posts the form: the password is in no address', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, locale: 'zh-CN', javaScriptEnabled: false, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('#email').fill(ADMIN.email);
  await page.locator('#password').fill(ADMIN.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForLoadState();
  expect(decodeURIComponent(page.url())).not.toContain(ADMIN.password);
  // Signed in: the history is served instead of the sign-in page.
  await page.goto('/history');
  await expect(page).toHaveURL(/\/history/);
  await expect(page.locator('#password')).toHaveCount(0);
  await context.close();
});

test('a wrong password sent before the script has loaded comes back to the sign-in form with the reason', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, locale: 'zh-CN', javaScriptEnabled: false, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('#email').fill(ADMIN.email);
  await page.locator('#password').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForLoadState();
  await expect(page).toHaveURL(/\/login\?/);
  await expect(page.getByRole('alert')).toHaveText('邮箱或密码不正确');
  await expect(page.locator('#password')).toBeVisible();
  expect(await page.locator('body').innerText()).not.toContain('{"');
  const returned = page.url();
  await context.close();

  // The same address where the script runs: the reason shows, then leaves the address.
  const scripted = await browser.newContext({ baseURL, locale: 'zh-CN', storageState: { cookies: [], origins: [] } });
  const again = await scripted.newPage();
  await gotoHydrated(again, returned);
  await expect(again.getByRole('alert')).toHaveText('邮箱或密码不正确');
  await expect(again).toHaveURL(/\/login$/);
  await scripted.close();
});

test('a click before the script has loaded still generates the code', async ({ browser, baseURL, request }) => {
  const context = await browser.newContext({ baseURL, storageState: ADMIN_STATE, locale: 'zh-CN', javaScriptEnabled: false });
  const page = await context.newPage();
  const scene = uniqueScene('early');
  await page.goto('/');
  await page.locator('#scene').fill(scene);
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page).toHaveURL(/\/codes\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const stored = await (await request.get(`/api/codes/${id}`)).json();
  expect(stored.code.scene).toBe(scene);

  // A problem comes back to the form as it was filled in, with the reason.
  await page.goto('/');
  await page.locator('#scene').fill('bad scene');
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page).toHaveURL(/\/\?scene=bad\+scene/);
  await expect(page.getByRole('alert').first()).toContainText('U+0020');
  await expect(page.locator('#scene')).toHaveValue('bad scene');
  await context.close();
});

test('new accounts and keys start with the least role', async ({ page }) => {
  await gotoHydrated(page, '/users');
  await expect(page.getByLabel('新账号的角色')).toHaveValue('viewer');
  // One's own role and access are not one's to take away.
  const me = page.locator(`tr[data-email="${ADMIN.email}"]`);
  await expect(me.locator('select')).toBeDisabled();
  await expect(me.getByRole('button', { name: '停用' })).toBeDisabled();
  await gotoHydrated(page, '/keys');
  await expect(page.getByLabel('密钥的角色')).toHaveValue('member');
});

test('a job whose every row failed says so, says why, and the job can skip the page check', async ({ page }) => {
  const tag = uniqueScene('f').replace('=', '');
  await gotoHydrated(page, '/batches');
  await page.getByText('表格格式与模板').click();
  await expect(page.getByRole('link', { name: 'XLSX' })).toHaveAttribute('href', /format=xlsx&lang=zh/);
  const rows = ['scene,page', `f1=${tag},pages/unpublished/a`, `f2=${tag},pages/unpublished/a`, `f1=${tag},pages/unpublished/a`];
  await page.getByLabel(/或粘贴数据行/).fill(rows.join('\n'));
  await page.getByRole('button', { name: '检查' }).click();
  // Row numbers as Excel shows them: the header is row 1.
  await expect(page.locator('.duplicates')).toContainText(`f1=${tag} 第 2、4 行`);
  const jobs = page.locator('li.job');
  const before = await jobs.count();
  await page.getByRole('button', { name: '开始生成 3 个小程序码' }).click();
  await expect(jobs).toHaveCount(before + 1);
  await expect(page.getByLabel(/或粘贴数据行/)).toHaveValue('');
  const job = jobs.first();
  await expect(job).toContainText('粘贴的数据');
  await expect(job.getByText('全部失败')).toBeVisible({ timeout: 20_000 });
  await expect(job.locator('.job-errors')).toContainText('41030');
  await expect(job.locator('.job-errors')).toContainText('第 2、3、4 行');

  await page.getByLabel(/校验页面路径/).uncheck();
  await page.getByLabel(/或粘贴数据行/).fill(rows.join('\n'));
  await page.getByRole('button', { name: '检查' }).click();
  await page.getByRole('button', { name: '开始生成 3 个小程序码' }).click();
  await expect(jobs).toHaveCount(before + 2);
  const second = jobs.first();
  await expect(second.getByText('已完成')).toBeVisible({ timeout: 20_000 });
  await expect(second.getByText('全部失败')).toHaveCount(0);
  await expect(second).toContainText('完成 3 · 失败 0');
  // The 任务已开始 toast leaves by itself: it sits over the job's buttons.
  await expect(page.locator('.toast')).toHaveCount(0, { timeout: 10_000 });
});

test('cancelling a job asks first, and a cancelled job can be resumed', async ({ page }) => {
  test.setTimeout(60_000);
  const tag = uniqueScene('c').replace('=', '');
  // Enough rows, slowly enough answered (4 at a time), that the job is still running when the
  // person gets to the cancel button.
  const rows = ['scene', ...Array.from({ length: 120 }, (_, i) => `c${i}=${tag}`)];
  await gotoHydrated(page, '/batches');
  await page.getByLabel(/或粘贴数据行/).fill(rows.join('\n'));
  await page.getByLabel('任务名称').fill(tag);
  await page.getByRole('button', { name: '检查' }).click();
  await setSimulatorFaults({ latency_ms: 400 });
  await page.getByRole('button', { name: '开始生成 120 个小程序码' }).click();
  const job = page.locator('li.job').filter({ hasText: tag });
  await job.getByRole('button', { name: '取消任务…' }).click();
  // The question stays open while progress comes in (the row's buttons are not rebuilt per event).
  const counts = job.locator('.job-counts');
  const asked = await counts.textContent();
  await expect(counts).not.toHaveText(asked ?? '');
  await expect(job.getByRole('button', { name: '不取消' })).toBeVisible();
  await job.getByRole('button', { name: '不取消' }).click();
  await expect(job.getByText('进行中')).toBeVisible();
  await job.getByRole('button', { name: '取消任务…' }).click();
  await job.getByRole('button', { name: '确定取消任务' }).click();
  await expect(job.getByText('已取消')).toBeVisible();
  await setSimulatorFaults({});
  await job.getByRole('button', { name: '继续' }).click();
  await expect(job.getByText('已完成')).toBeVisible({ timeout: 30_000 });
  await expect(job).toContainText('完成 120 ·');
});
