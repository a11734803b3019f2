import { test, expect, gotoHydrated, resetSimulator } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

/** The count a stat box shows. */
async function stat(page: import('@playwright/test').Page, label: string) {
  return page.locator('.stat', { hasText: label }).locator('.stat-value');
}

test('a living code: make it, scan it three times, retarget it, pause it', async ({ page }) => {
  await gotoHydrated(page, '/');
  await page.getByLabel(/活码/).check();
  // The scene is made by the server: its field is gone, the target's is there.
  await expect(page.getByLabel('场景值 scene')).toHaveCount(0);
  await page.getByLabel('目标页面').fill('pages/promo/promo');
  await page.getByLabel('参数名 1').fill('campaign');
  await page.getByLabel('参数值 1').fill('双十一');
  await page.getByRole('button', { name: '+ 添加参数' }).click();
  await page.getByLabel('参数名 2').fill('ch');
  await page.getByLabel('参数值 2').fill('poster');
  // campaign=双十一&ch=poster: 18 + 1 + 9 bytes.
  await expect(page.getByText('已用 28 / 2048 字节（一个汉字 3 字节）')).toBeVisible();
  // What the landing page will receive, before anything is generated.
  const preview = page.locator('.resolve-preview pre');
  await expect(preview).toContainText('"campaign": "双十一"');
  await expect(preview).toContainText('pages/promo/promo?campaign=%E5%8F%8C%E5%8D%81%E4%B8%80&ch=poster');
  await page.getByText('落地页、备用页与结束日期').click();
  await page.getByLabel(/备用页/).fill('pages/sorry/sorry');
  await page.getByRole('button', { name: '生成活码' }).click();

  const image = page.getByRole('img', { name: /小程序码，场景值 k=[0-9A-Za-z]{8}/ });
  await expect(image).toBeVisible();
  await page.getByRole('link', { name: '管理活码' }).click();
  await expect(page.getByRole('heading', { name: /活码/ })).toBeVisible();
  await expect(page.locator('dd.target')).toHaveAttribute('title', 'pages/promo/promo?campaign=%E5%8F%8C%E5%8D%81%E4%B8%80&ch=poster');
  await expect(page.locator('dd.target .param-chip').first()).toHaveText('campaign = 双十一');
  await expect(await stat(page, '累计')).toHaveText('0');
  const todayBar = page.locator('.scan-chart rect.bar').last();
  await expect(todayBar).toHaveAttribute('data-scans', '0');

  const simulate = page.getByRole('button', { name: '模拟扫码' });
  for (let i = 1; i <= 3; i++) {
    await simulate.click();
    await expect(await stat(page, '累计')).toHaveText(String(i));
  }
  await expect(page.locator('.resolve-preview.simulated')).toContainText('→ 200');
  await expect(page.locator('.resolve-preview.simulated')).toContainText('"page": "pages/promo/promo"');
  await expect(await stat(page, '今天')).toHaveText('3');
  await expect(todayBar).toHaveAttribute('data-scans', '3');
  await expect(page.locator('.wx-scenes')).toContainText('扫描小程序码 (1047)');

  // Retarget: the next scan goes to the new page.
  await page.getByLabel('目标页面').fill('pages/new/new');
  await page.getByRole('button', { name: '保存目标' }).click();
  await expect(page.locator('.target-path')).toHaveText('pages/new/new');
  // The last scan went to the old target: its result does not stay beside the new one.
  await expect(page.locator('.resolve-preview.simulated')).toHaveCount(0);
  await simulate.click();
  await expect(page.locator('.resolve-preview.simulated')).toContainText('"page": "pages/new/new"');
  await expect(await stat(page, '累计')).toHaveText('4');

  // Paused: the scan lands on the fallback page.
  await page.getByRole('button', { name: '暂停' }).click();
  await expect(page.locator('.living-panel .badge')).toHaveText('已暂停');
  await simulate.click();
  await expect(page.locator('.resolve-preview.simulated')).toContainText('→ 410');
  await expect(page.locator('.resolve-preview.simulated')).toContainText('"page": "pages/sorry/sorry"');
  await expect(await stat(page, '累计')).toHaveText('5');

  // The history counts it too, and can show living codes alone.
  await gotoHydrated(page, '/history?living=true');
  const row = page.locator('tbody tr').first();
  await expect(row.locator('.scans-cell')).toContainText('活码 · 已暂停');
  await expect(row.locator('.scan-count')).toHaveText('5');
  // Sorted by scans from the column header, and back.
  await page.getByRole('link', { name: '扫码', exact: true }).click();
  await expect(page).toHaveURL(/living=true&sort=scans/);
  await expect(page.locator('th[aria-sort="descending"]')).toContainText('扫码 ↓');
  await expect(page.locator('tbody tr').first().locator('.scan-count')).toHaveText('5');

  // The campaign view totals it under its label (none here), with its own chart.
  await gotoHydrated(page, '/campaigns');
  const campaign = page.locator('.campaigns-table tbody tr', { hasText: '（无标签）' });
  await expect(campaign.locator('.scan-count')).toHaveText('5');
  await campaign.getByRole('link', { name: '（无标签）' }).click();
  await expect(page.getByRole('heading', { name: '“（无标签）”每日扫码' })).toBeVisible();
  await expect(page.locator('.scan-chart rect.bar').last()).toHaveAttribute('data-scans', '5');
});

test('a living target with problems is refused in the form, by field, in English too', async ({ page, baseURL }) => {
  await page.context().addCookies([{ name: 'wxacode_lang', value: 'en', url: baseURL! }]);
  await gotoHydrated(page, '/');
  await page.getByLabel(/Living code/).check();
  await page.getByLabel('Parameter name 1').fill('bad key');
  await page.getByLabel('Parameter value 1').fill('x');
  await page.getByRole('button', { name: 'Generate living code' }).click();
  await expect(page.getByText('Enter the target page, e.g. pages/promo/promo')).toBeVisible();
  await expect(page.getByText(/The parameter name "bad key" is not valid/)).toBeVisible();
  await expect(page.getByLabel('Target page')).toBeFocused();
});

test('a living form comes back whole from its address: reload, Back and a copied link', async ({ page }) => {
  await gotoHydrated(page, '/?living=1&target=pages%2Fpromo%2Fpromo&param=campaign%3D%E5%8F%8C%E5%8D%81%E4%B8%80&fallback=pages%2Fsorry%2Fsorry&ends=2030-12-31&label=%E6%98%A5%E8%8A%82');
  await expect(page.getByLabel(/活码/)).toBeChecked();
  await expect(page.getByLabel('目标页面')).toHaveValue('pages/promo/promo');
  await expect(page.getByLabel('参数值 1')).toHaveValue('双十一');
  // The settings it holds are in view, not folded away.
  await expect(page.getByLabel(/备用页/)).toHaveValue('pages/sorry/sorry');
  await expect(page.getByLabel(/结束日期/)).toHaveValue('2030-12-31');
  await page.getByLabel('参数值 1').fill('双十二');
  await expect(page).toHaveURL(/param=campaign%3D%E5%8F%8C%E5%8D%81%E4%BA%8C/);
  await page.reload();
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(page.getByLabel('参数值 1')).toHaveValue('双十二');
});
