import { Page } from '@playwright/test';
import { test, expect, generateViaApi, resetSimulator, uniqueScene } from './fixtures';

/** Holds the main wasm back until the returned function is called: the page stays as served. */
async function holdCode(page: Page): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/pkg\/wxacode\.[^/]*\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

const hydrated = (page: Page) => page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });

test('text typed before the page’s code arrives stays, and the page uses it', async ({ page }) => {
  await resetSimulator();
  const release = await holdCode(page);
  await page.goto('/');
  const scene = uniqueScene('early');
  await page.getByLabel('场景值 scene').fill(scene);
  await page.getByLabel('页面路径 page（可选）').fill('pages/index/index');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(0);

  release();
  await hydrated(page);
  await expect(page.getByLabel('场景值 scene')).toHaveValue(scene);
  await expect(page.getByLabel('页面路径 page（可选）')).toHaveValue('pages/index/index');
  // The page's own state learnt it: the counter, and the code generated from it.
  await expect(page.getByText(`${scene.length} / 32`)).toBeVisible();
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page.getByRole('img', { name: `小程序码，场景值 ${scene}` })).toBeVisible();
});

test('advanced options opened before the page’s code arrives stay open, with what was set inside', async ({ page }) => {
  const release = await holdCode(page);
  await page.goto('/');
  await page.getByText('高级选项').click();
  await page.getByLabel('宽度（像素）').fill('640');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(0);

  release();
  await hydrated(page);
  await expect(page.locator('details.advanced')).toHaveAttribute('open', '');
  await expect(page.getByLabel('宽度（像素）')).toHaveValue('640');
  await expect(page.getByLabel('宽度滑块')).toHaveValue('640');
  // Closed and opened again by the page's own code from here on.
  await page.getByText('高级选项').click();
  await expect(page.getByLabel('宽度（像素）')).toBeHidden();
});

test('the key=value helper opened before the page’s code arrives shows its rows once it does', async ({ page }) => {
  const release = await holdCode(page);
  await page.goto('/?scene=id%3D7');
  await page.getByText('用键值对组成场景值').click();
  // Said by the stylesheet: nothing of the section's own code has run yet.
  const note = () =>
    page.evaluate(() => getComputedStyle(document.querySelector('details.scene-helper > summary')!, '::after').content);
  expect(await note()).toBe('"正在载入…"');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(0);

  release();
  await hydrated(page);
  await expect(page.getByRole('textbox', { name: '值', exact: true })).toHaveValue('7');
  await expect(page.getByRole('button', { name: '+ 添加一行' })).toBeVisible();
  expect(await note()).toBe('none');
});

test('opening the address of a code just made says it is loading that code, then shows it where it stands', async ({ page }) => {
  await resetSimulator();
  await page.setViewportSize({ width: 375, height: 667 });
  await page.goto('/');
  await hydrated(page);
  const scene = uniqueScene('back');
  await page.getByLabel('场景值 scene').fill(scene);
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page.getByRole('img', { name: `小程序码，场景值 ${scene}` })).toBeVisible();
  await expect(page).toHaveURL(/made=\d+/);

  const release = await holdCode(page);
  // Opened anew (a reload would restore the scroll position the answer brought).
  await page.goto(page.url());
  await expect(page.getByText('正在载入刚生成的码…')).toBeVisible();
  await expect(page.getByText('生成的小程序码会显示在这里')).toHaveCount(0);
  release();
  await hydrated(page);
  await expect(page.getByRole('img', { name: `小程序码，场景值 ${scene}` })).toBeAttached();
  // Brought back, not asked for: the page stays at the form.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});

test('a history filter in the address shows before the code arrives; a box ticked meanwhile stays ticked', async ({ page }) => {
  const release = await holdCode(page);
  await page.goto('/history?q=nothing-like-this&deleted=true');
  const search = page.getByRole('searchbox');
  await expect(search).toHaveValue('nothing-like-this');
  await expect(page.getByLabel('已删除')).toBeChecked();
  await page.getByLabel('只看活码').check();

  release();
  await hydrated(page);
  await expect(search).toHaveValue('nothing-like-this');
  await expect(page.getByLabel('只看活码')).toBeChecked();
  await page.getByRole('button', { name: '筛选', exact: true }).click();
  await expect(page).toHaveURL(/living=true/);
  await expect(page).toHaveURL(/q=nothing-like-this/);
});

test('forms show their values in the page as served, before the code arrives', async ({ page }) => {
  const release = await holdCode(page);
  await page.goto('/');
  await expect(page.getByLabel('宽度滑块')).toHaveValue('430');
  await page.goto('/batches');
  await expect(page.getByLabel('校验页面路径（页面须已在正式版发布）')).toBeChecked();
  await page.goto('/links?q=spring&expiring=true');
  await expect(page.getByRole('searchbox')).toHaveValue('spring');
  await expect(page.getByLabel('只看 7 天内到期')).toBeChecked();
  await expect(page.getByLabel('有效天数（1–30）')).toHaveValue('30');
  await page.goto('/audit?action=sign_in&actor=admin%40example.com');
  await expect(page.getByRole('combobox', { name: /^操作/ })).toHaveValue('sign_in');
  await expect(page.locator('input[name="actor"]')).toHaveValue('admin@example.com');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(0);
  release();
});

test.describe('a reader in Shanghai', () => {
  test.use({ timezoneId: 'Asia/Shanghai' });

  test('sees times on their own clock in the page as served, unchanged once its code runs', async ({ page, request }) => {
    await resetSimulator();
    const scene = uniqueScene('clock');
    await generateViaApi(request, { scene });

    // The first visit tells the server the zone.
    await page.goto(`/history?q=${encodeURIComponent(scene)}`);
    await hydrated(page);
    const time = page.locator('tbody time').first();
    const at = (await time.getAttribute('datetime'))!;
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Shanghai',
        year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
      }).formatToParts(new Date(at)).map((p) => [p.type, p.value]),
    );
    const shanghai = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
    await expect(time).toHaveText(shanghai);

    // The page as served now writes the same time, not UTC.
    const served = await (await page.request.get(`/history?q=${encodeURIComponent(scene)}`)).text();
    expect(served).toMatch(new RegExp(`<time datetime="${at.replace(/[.+]/g, '\\$&')}"[^>]*>${shanghai}<`));
    expect(served).not.toContain(' UTC<');
  });
});

test('a living-code link shows what it holds before the page’s code arrives', async ({ page }) => {
  const release = await holdCode(page);
  await page.goto(
    '/?living=1&target=pages%2Fpromo%2Fpromo&param=campaign%3D%E5%8F%8C%E5%8D%81%E4%B8%80' +
      '&landing=pages%2Fland%2Fland&fallback=pages%2Fsorry%2Fsorry&ends=2030-12-31',
  );
  const fields = async () => {
    await expect(page.locator('#target_page')).toHaveValue('pages/promo/promo');
    await expect(page.getByLabel('参数名 1')).toHaveValue('campaign');
    await expect(page.getByLabel('参数值 1')).toHaveValue('双十一');
    await expect(page.locator('#page')).toHaveValue('pages/land/land');
    await expect(page.locator('#fallback_page')).toHaveValue('pages/sorry/sorry');
    await expect(page.locator('#ends_at')).toHaveValue('2030-12-31');
  };
  await fields();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(0);

  release();
  await hydrated(page);
  await fields();
});
