import { test, expect, gotoHydrated, resetSimulator, uniqueScene } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

test('an admin adds mini programs, tests them, generates with one and switches apps in history', async ({ page, request, browserErrors }) => {
  // The refusals below answer 400 on purpose.
  browserErrors.expect(/status of 400/);
  await gotoHydrated(page, '/apps');
  const defaultApp = page.locator('li.app-card').first();
  await expect(defaultApp).toContainText('沙箱小程序');
  await expect(defaultApp).toContainText('来自环境变量');
  await expect(defaultApp.getByRole('button', { name: '修改' })).toHaveCount(0);

  // A malformed AppID is explained and the form keeps what was typed.
  await page.getByLabel('名称').first().fill('会员商城');
  await page.getByLabel('AppID', { exact: true }).fill('wx12');
  await page.getByLabel('AppSecret', { exact: true }).fill('0123456789abcdef0123456789abcdef');
  await page.getByRole('button', { name: '添加', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('十六进制');
  await expect(page.getByLabel('AppID', { exact: true })).toHaveValue('wx12');

  // A well-formed one WeChat does not know: "test connection" says so in words.
  const shop = 'wx00000000000000a1';
  await page.getByLabel('AppID', { exact: true }).fill(shop);
  await page.getByRole('button', { name: '添加', exact: true }).click();
  const shopCard = page.locator(`li.app-card[data-appid="${shop}"]`);
  await expect(shopCard).toContainText('会员商城');
  // Write-only: the secret field is empty again and the secret is on no page.
  await expect(page.getByLabel('AppSecret', { exact: true })).toHaveValue('');
  expect(await page.content()).not.toContain('0123456789abcdef0123456789abcdef');
  await shopCard.getByRole('button', { name: '测试连接' }).click();
  await expect(shopCard.getByRole('alert')).toContainText('AppID 无效');
  await expect(shopCard.getByRole('alert')).toContainText('40013');

  // A sandbox app for training works at once.
  await page.getByLabel(/沙箱小程序（用内置模拟器/).check();
  await expect(page.getByLabel('AppID', { exact: true })).toHaveCount(0);
  await page.getByLabel('名称').first().fill('培训小程序');
  await page.getByRole('button', { name: '添加', exact: true }).click();
  const training = page.locator('li.app-card', { hasText: '培训小程序' });
  await expect(training).toBeVisible();
  await expect(training).toContainText('沙箱 / Sandbox');
  await training.getByRole('button', { name: '测试连接' }).click();
  await expect(training.getByRole('status')).toContainText('连接成功');
  const trainingId = await training.getAttribute('data-appid');
  expect(trainingId).toMatch(/^wxsandbox/);

  // The generator offers the apps; a code made with the training app says so.
  await gotoHydrated(page, '/');
  const picker = page.getByLabel('小程序', { exact: true });
  await picker.selectOption(trainingId!);
  const scene = uniqueScene('app');
  await page.getByLabel('场景值 scene').fill(scene);
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page.getByRole('img', { name: `小程序码，场景值 ${scene}` })).toBeVisible();
  await expect(page.locator('.result-figure .sandbox-note')).toContainText('微信扫码无法打开');
  const listed = await (await request.get(`/api/codes?app=${trainingId}`)).json();
  expect(listed.codes[0]).toMatchObject({ scene, app: trainingId });

  // Remembered: the next visit starts with the same app.
  await page.reload();
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(page.getByLabel('小程序', { exact: true })).toHaveValue(trainingId!);

  // History: every app by default, one app when chosen; Back returns to all.
  const other = uniqueScene('dflt');
  await request.post('/api/qrcode', { data: { scene: other } });
  await gotoHydrated(page, '/history');
  await expect(page.getByText(scene, { exact: true })).toBeVisible();
  await expect(page.getByText(other, { exact: true })).toBeVisible();
  await page.locator('form.filters select[name="app"]').selectOption(trainingId!);
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(new RegExp(`app=${trainingId}`));
  await expect(page.getByText(scene, { exact: true })).toBeVisible();
  await expect(page.getByText(other, { exact: true })).toHaveCount(0);
  await page.goBack();
  await expect(page.getByText(other, { exact: true })).toBeVisible();

  // The code page names its app.
  await gotoHydrated(page, `/codes/${listed.codes[0].id}`);
  await expect(page.locator('.detail-body .app-mark')).toContainText('培训小程序');
  await expect(page.locator('.detail-body .sandbox-note')).toContainText('请勿印刷');

  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await gotoHydrated(page, '/apps');
    await page.screenshot({ path: `screenshots/apps-${width}.png`, fullPage: true });
  }
  // Leave the admin's forms on the default app for the tests that follow.
  await gotoHydrated(page, '/');
  await page.getByLabel('小程序', { exact: true }).selectOption({ index: 0 });
  await page.getByLabel('场景值 scene').fill(uniqueScene('back'));
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page.getByRole('link', { name: '下载图片' })).toBeVisible();
});
