import { test, expect, gotoHydrated, resetSimulator, uniqueScene } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

async function generate(request: any, body: Record<string, unknown>) {
  const response = await request.post('/api/qrcode', { data: body });
  expect(response.ok()).toBeTruthy();
  return response.json();
}

test('history search survives a reload and a soft delete can be undone', async ({ page, request }) => {
  const tag = uniqueScene('hist').replace('=', '');
  await generate(request, { scene: `a=${tag.slice(-8)}`, label: `活动${tag}` });
  await gotoHydrated(page, '/history');
  await page.getByPlaceholder('搜索场景值、页面或标签').fill(`活动${tag}`);
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(new RegExp(`q=`));
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(1);

  await page.reload();
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(page.getByPlaceholder('搜索场景值、页面或标签')).toHaveValue(`活动${tag}`);
  await expect(rows).toHaveCount(1);

  await rows.getByRole('button', { name: '删除' }).click();
  await expect(rows).toHaveCount(0);
  await page.getByRole('button', { name: '撤销' }).click();
  await page.reload();
  await expect(page.locator('tbody tr')).toHaveCount(1);
});

test('a share link opens in a signed-out browser and dies when revoked', async ({ page, browser, request }) => {
  const created = await generate(request, { scene: uniqueScene('share'), label: '分享海报' });
  const shareUrl: string = created.share_url;
  const stranger = await browser.newContext();
  const view = await stranger.newPage();
  await view.goto(shareUrl);
  await expect(view.getByRole('heading', { name: '分享海报' })).toBeVisible();
  await expect(view.getByRole('navigation')).toHaveCount(0);
  const image = await view.request.get(`${shareUrl}.png`);
  expect(image.status()).toBe(200);

  await gotoHydrated(page, `/codes/${created.id}`);
  await page.getByRole('button', { name: '停用链接' }).click();
  await expect(page.getByRole('button', { name: '生成新链接' })).toBeVisible();
  const gone = await view.goto(shareUrl);
  expect(gone?.status()).toBe(404);
  await stranger.close();
});

test('a prefill link fills the form and the language can be switched and is remembered', async ({ page }) => {
  await gotoHydrated(page, '/?scene=id%3D9&page=pages%2Findex%2Findex&label=%E6%B5%B7%E6%8A%A5&width=640');
  await expect(page.getByLabel('场景值 scene')).toHaveValue('id=9');
  await expect(page.getByLabel('页面路径 page（可选）')).toHaveValue('pages/index/index');
  await expect(page.locator('#label')).toHaveValue('海报');
  await expect(page.locator('#width')).toHaveValue('640');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('button', { name: 'Generate code' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Generate code' })).toBeVisible();
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('button', { name: '生成小程序码' })).toBeVisible();
});
