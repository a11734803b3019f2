import { test, expect, gotoHydrated, resetSimulator, generateViaApi, uniqueScene, downloadOf } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

test('a URL Link from a code page, copied; the code’s jump link lands on a live WeChat link', async ({ page, context, request, browserErrors }) => {
  browserErrors.expect(/status of 400/);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const scene = uniqueScene('sms');
  const { id } = await generateViaApi(request, { scene, page: 'pages/detail/detail' });
  await gotoHydrated(page, `/codes/${id}`);
  const links = page.locator('section.code-links');
  await expect(links.getByRole('heading', { name: '链接' })).toBeVisible();
  await expect(links.getByText('这个码还没有链接。')).toBeVisible();
  // At rest the days box lines up with the kind select beside it.
  const bottom = (box: { y: number; height: number } | null) => (box ? box.y + box.height : NaN);
  const daysBottom = bottom(await links.getByLabel('有效天数（1–30）').boundingBox());
  const kindBottom = bottom(await links.getByLabel('类型').boundingBox());
  expect(Math.abs(daysBottom - kindBottom)).toBeLessThan(3);

  // A bad number of days is explained and nothing is made.
  await links.getByLabel('有效天数（1–30）').fill('31');
  await links.getByRole('button', { name: '生成链接' }).click();
  await expect(links.locator('.field-problems')).toContainText('有效期须为 1 到 30 天');

  // What was typed stays as typed, and is named in the error.
  await links.getByLabel('有效天数（1–30）').fill('2.5');
  await links.getByRole('button', { name: '生成链接' }).click();
  await expect(links.locator('.field-problems')).toContainText('有效天数须是 1 到 30 的整数，收到 “2.5”');
  await expect(links.getByLabel('有效天数（1–30）')).toHaveValue('2.5');
  await expect(links.getByLabel('有效天数（1–30）')).toHaveAttribute('aria-invalid', 'true');
  await links.getByLabel('有效天数（1–30）').fill('');
  await links.getByRole('button', { name: '生成链接' }).click();
  await expect(links.locator('.field-problems')).toContainText('请填写有效天数');

  await links.getByLabel('有效天数（1–30）').fill('7');
  await links.getByRole('button', { name: '生成链接' }).click();
  const made = links.getByTestId('new-link');
  await expect(made).toHaveText(/^https:\/\/wxaurl\.cn\/\w+$/);
  const url = (await made.textContent()) ?? '';
  await links.locator('.new-link').getByRole('button', { name: '复制' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  // Listed for this code: the page and the scene as a scan delivers it, ending within a week.
  const row = links.locator('.links-table tbody tr').first();
  await expect(row.locator('.link-url')).toHaveText(url);
  await expect(row.locator('.link-target')).toHaveText(`pages/detail/detail?scene=${encodeURIComponent(scene)}`);
  await expect(row.locator('.link-status')).toHaveText('7 天内到期');

  // A permanent jump link for the same code: its first visit is sent on to a fresh URL Link.
  await links.getByLabel('类型').selectOption('jump');
  await links.getByRole('button', { name: '生成链接' }).click();
  await expect(made).toHaveText(/\/go\/[\w-]+$/);
  const jump = (await made.textContent()) ?? '';
  // wxaurl.cn is out of reach here: the visit's redirect is where it lands.
  const visit = await request.get(jump, { maxRedirects: 0 });
  expect(visit.status()).toBe(302);
  expect(visit.headers()['location']).toMatch(/^https:\/\/wxaurl\.cn\/\w+$/);
  await page.reload();
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  const jumpRow = page.locator('section.code-links .jumps-table tbody tr').first();
  await expect(jumpRow.locator('td').nth(3)).toHaveText('1');
  await expect(jumpRow).not.toContainText('首次访问时生成');
});

test('the generator offers a link for the code it made, and the code page opens at its links', async ({ page }) => {
  // A phone: the links section starts below the fold.
  await page.setViewportSize({ width: 375, height: 667 });
  await gotoHydrated(page, '/');
  await page.getByLabel('场景值 scene').fill(uniqueScene('gen'));
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await page.getByRole('link', { name: '也生成链接…' }).click();
  await expect(page).toHaveURL(/\/codes\/\d+#links$/);
  await expect(page.locator('section.code-links').getByRole('button', { name: '生成链接' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '链接', exact: true })).toBeInViewport();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
});

test('the links page makes, finds, renews and exports links', async ({ page }) => {
  await gotoHydrated(page, '/links');
  await page.getByLabel('页面（留空为首页）').fill('pages/store/index');
  await page.getByLabel('参数（可选）').fill('campaign=会员日');
  await page.getByLabel('有效天数（1–30）').fill('3');
  await page.getByRole('button', { name: '生成链接' }).click();
  await expect(page.getByTestId('new-link')).toHaveText(/^https:\/\/wxaurl\.cn\//);
  const table = page.locator('.links-table');
  await expect(table.locator('tbody tr').first().locator('.link-target')).toHaveText('pages/store/index?campaign=%E4%BC%9A%E5%91%98%E6%97%A5');

  const maker = page.locator('.link-maker');
  // A plaintext scheme is written on the page: nothing asked of WeChat, nothing stored.
  await maker.getByLabel('类型').selectOption('plaintext');
  await expect(maker.getByText('明文 Scheme 由本页直接写出')).toBeVisible();
  await page.getByRole('button', { name: '生成链接' }).click();
  await expect(page.getByTestId('new-link')).toHaveText(
    'weixin://dl/business/?appid=wxsandbox0000000001&path=pages%2Fstore%2Findex&query=campaign%3D%25E4%25BC%259A%25E5%2591%2598%25E6%2597%25A5&env_version=release',
  );
  await expect(table.locator('tbody tr', { hasText: 'weixin://dl/business/?appid' })).toHaveCount(0);

  // A short link with a title, permanent: no expiry, no renewal.
  await maker.getByLabel('类型').selectOption('short_link');
  await expect(page.getByLabel('有效天数（1–30）')).toHaveCount(0);
  await page.getByLabel('标题（可选，微信中显示）').fill('会员日');
  await page.getByLabel(/永久有效/).check();
  await page.getByRole('button', { name: '生成链接' }).click();
  await expect(page.getByTestId('new-link')).toHaveText(/^#小程序:\/\//);
  await expect(table.locator('tbody tr').first()).toContainText('永久');
  await expect(table.locator('tbody tr').first().getByRole('button', { name: '续期' })).toHaveCount(0);

  // The filter keeps what ends within a week, and survives a reload.
  await page.getByLabel('只看 7 天内到期').check();
  await expect(page).toHaveURL(/expiring=true/);
  const store = table.locator('tbody tr', { hasText: 'pages/store/index' });
  await expect(table.locator('tbody tr', { hasText: '永久' })).toHaveCount(0);
  await expect(store).toHaveCount(1);
  await page.reload();
  await expect(page.getByLabel('只看 7 天内到期')).toBeChecked();
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  await store.first().getByRole('button', { name: '续期' }).click();
  await expect(page.locator('.toast').last()).toContainText('已续期');
  await expect(store).toHaveCount(2);

  // Search, then the CSV of what is shown.
  await page.getByLabel('只看 7 天内到期').uncheck();
  await page.getByPlaceholder('搜索链接、页面、参数、标题').fill('会员日');
  await page.getByRole('button', { name: '搜索' }).click();
  await expect(page).toHaveURL(/q=/);
  // The title, and the query stored encoded: all three links.
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await page.locator('.filters').getByLabel('类型').selectOption('short_link');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  const csv = await downloadOf(page, page.getByRole('link', { name: '导出 CSV' }));
  const text = csv.bytes.toString('utf8');
  const rows = text.trim().split('\n').slice(1);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toContain(',short_link,#小程序://');
  expect(rows[0]).toContain(',会员日,');
});
