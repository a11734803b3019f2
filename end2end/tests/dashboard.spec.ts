import AdmZip from 'adm-zip';
import { test, expect, downloadOf, generateViaApi as generate, gotoHydrated, PNG_MAGIC, resetSimulator, uniqueScene } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

/** Opens the history filtered to one search term, hydrated. */
async function historySearch(page: any, term: string) {
  await gotoHydrated(page, `/history?q=${encodeURIComponent(term)}`);
  await expect(page.getByPlaceholder('搜索场景值、页面或标签')).toHaveValue(term);
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

  // Local time once hydrated, and how long ago on hover.
  const created = rows.locator('time');
  await expect(created).not.toContainText('UTC');
  await expect(created).toHaveAttribute('title', /(秒|分钟|现在).*·/);

  await rows.locator('summary').click();
  await rows.getByRole('button', { name: '删除' }).click();
  await expect(rows).toHaveCount(0);
  await page.getByRole('button', { name: '撤销' }).click();
  await page.reload();
  await expect(page.locator('tbody tr')).toHaveCount(1);
});

test('a row’s menu opens within the table on a laptop, in English too', async ({ page, context, request, baseURL }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await context.addCookies([{ name: 'wxacode_lang', value: 'en', url: baseURL! }]);
  const tag = uniqueScene('menu').replace('=', '').slice(-8);
  await generate(request, { scene: `id=123&type=${tag}`, label: `Spring campaign, store posters ${tag}` });
  await gotoHydrated(page, `/history?q=${tag}`);
  const row = page.locator('tbody tr');
  await expect(row).toHaveCount(1);

  await row.locator('summary').click();
  const remove = row.getByRole('button', { name: 'Delete' });
  await expect(remove).toBeVisible();
  const table = page.locator('.table-wrap');
  const [button, box] = [await remove.boundingBox(), await table.boundingBox()];
  expect(button!.x + button!.width).toBeLessThanOrEqual(box!.x + box!.width);
  expect(await table.evaluate((wrap) => wrap.scrollWidth <= wrap.clientWidth)).toBe(true);
  await remove.click();
  await expect(row).toHaveCount(0);
});

test('a share link opens in a signed-out browser and dies when revoked', async ({ page, browser, request }) => {
  const created = await generate(request, { scene: uniqueScene('share'), label: '分享海报' });
  const shareUrl: string = created.share_url;
  const stranger = await browser.newContext();
  const view = await stranger.newPage();
  await view.goto(shareUrl);
  // Labels are internal campaign names: hidden until the sharer shows them.
  await expect(view.getByRole('heading', { name: '小程序码' })).toBeVisible();
  await expect(view.getByText('分享海报')).toHaveCount(0);
  await gotoHydrated(page, `/codes/${created.id}`);
  await page.getByLabel(/在分享页显示标签和页面路径/).check();
  await expect(page.getByText('分享页将显示标签和页面')).toBeVisible();
  await view.reload();
  await expect(view.getByRole('heading', { name: '分享海报' })).toBeVisible();
  await expect(view.getByRole('navigation')).toHaveCount(0);
  await view.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  const saved = await downloadOf(view, view.getByRole('link', { name: '下载', exact: true }));
  const original = await request.get(`/api/codes/${created.id}/image`);
  expect(saved.bytes.equals(await original.body())).toBeTruthy();

  await gotoHydrated(page, `/codes/${created.id}`);
  await page.getByRole('button', { name: '停用链接…' }).click();
  await page.getByRole('button', { name: '确定停用' }).click();
  await expect(page.getByRole('button', { name: '生成新链接' })).toBeVisible();
  const gone = await view.goto(shareUrl);
  expect(gone?.status()).toBe(404);
  await expect(view.getByRole('heading', { name: '链接已失效' })).toBeVisible();
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

  // English everywhere, not just on the form.
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await expect(page.getByPlaceholder('Search scene, page or label')).toBeVisible();
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '历史记录' })).toBeVisible();
  await page.getByRole('link', { name: '生成', exact: true }).click();
  await expect(page.getByRole('button', { name: '生成小程序码' })).toBeVisible();
});

test('the history pages through more than one page and keeps the page across a reload', async ({ page, request }) => {
  const tag = uniqueScene('pg').replace('=', '');
  for (let i = 0; i < 23; i++) {
    await generate(request, { scene: `n=${i}`, label: `${tag}-${String(i).padStart(2, '0')}` });
  }
  await historySearch(page, tag);
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(20);
  await expect(rows.first()).toContainText(`${tag}-22`);

  await page.getByRole('link', { name: '下一页 »' }).click();
  await expect(page).toHaveURL(/before=\d+/);
  await expect(rows).toHaveCount(3);
  await expect(rows.last()).toContainText(`${tag}-00`);
  await page.reload();
  await expect(page.locator('tbody tr')).toHaveCount(3);
  await expect(page.getByRole('link', { name: '下一页 »' })).toHaveCount(0);

  await page.getByRole('link', { name: '« 最新' }).click();
  await expect(rows).toHaveCount(20);
});

test('three selected codes download as one ZIP of three PNGs and a manifest', async ({ page, request }) => {
  const tag = uniqueScene('zip').replace('=', '');
  const ids: number[] = [];
  for (const n of [1, 2, 3]) {
    ids.push((await generate(request, { scene: `z=${n}`, label: `${tag}-${n}`, is_hyaline: true })).id);
  }
  await historySearch(page, tag);
  await expect(page.locator('tbody tr')).toHaveCount(3);
  await page.getByRole('checkbox', { name: '选择本页全部' }).check();
  await expect(page.getByText('已选择 3 个')).toBeVisible();

  const zip = await downloadOf(page, page.getByRole('link', { name: '下载 ZIP' }));
  expect(zip.name).toMatch(/^wxacode-.*-3\.zip$/);
  const entries = new AdmZip(zip.bytes).getEntries();
  const names = entries.map((e) => e.entryName).sort();
  // Named by the team's default template, {label}_{scene}_{id}.
  expect(names).toEqual([1, 2, 3].map((n) => `${tag}-${n}_z_${n}_${ids[n - 1]}.png`).concat('manifest.csv').sort());
  for (const entry of entries.filter((e) => e.entryName.endsWith('.png'))) {
    expect(entry.getData().subarray(0, 4).equals(PNG_MAGIC)).toBeTruthy();
  }
  const manifest = entries.find((e) => e.entryName === 'manifest.csv')!.getData().toString('utf8');
  const lines = manifest.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  expect(lines).toHaveLength(4);
  expect(lines[0]).toMatch(/^file,id,scene,page,label/);

  await page.getByRole('button', { name: '取消选择' }).click();
  await expect(page.getByText('已选择 3 个')).toHaveCount(0);
});

test('a share link can be given an expiry date and have it removed', async ({ page, request }) => {
  const created = await generate(request, { scene: uniqueScene('exp') });
  await gotoHydrated(page, `/codes/${created.id}`);
  await expect(page.getByText('长期有效，直到停用')).toBeVisible();
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
  const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
  await page.getByLabel('有效期最后一天').fill(day);
  await page.getByRole('button', { name: '设置有效期' }).click();
  await expect(page.getByText(/有效期至/)).toBeVisible();
  const stored = await (await request.get(`/api/codes/${created.id}`)).json();
  const end = new Date(stored.code.share_expires_at);
  expect(end.getDate()).toBe(tomorrow.getDate());
  expect(end.getHours()).toBe(23); // the end of that day where the person is

  await page.getByRole('button', { name: '取消有效期' }).click();
  await expect(page.getByText('长期有效，直到停用')).toBeVisible();
  expect((await (await request.get(`/api/codes/${created.id}`)).json()).code.share_expires_at).toBeNull();
});
