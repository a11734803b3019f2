import { test, expect, generateViaApi, gotoHydrated, livingViaApi, resetSimulator, uniqueScene } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

const widths = [375, 1280];
const langs = ['zh', 'en'];

/**
 * Fails when the page is wider than the window, or when any element sticks out past
 * its right edge (a card's buttons overflowing the card do not always widen the page).
 * Elements inside a sideways-scrolling box (a wide table's wrapper) are that box's affair.
 */
async function expectNoSidewaysScroll(page: any) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);
  const sticking = await page.evaluate(() => {
    const inScroller = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    return [...document.body.querySelectorAll('*')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > window.innerWidth + 1 && !inScroller(el);
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
      .slice(0, 5);
  });
  expect(sticking, 'no element past the right edge').toEqual([]);
}

for (const [lang, width] of langs.flatMap((l) => widths.map((w) => [l, w] as const))) {
  test(`every view fits and is captured at ${width} px in ${lang}`, async ({ page, request, browserErrors, baseURL }) => {
    browserErrors.expect(/status of 404/); // the not-found view, on purpose
    await page.context().addCookies([{ name: 'wxacode_lang', value: lang, url: baseURL! }]);
    await page.setViewportSize({ width, height: 900 });
    const code = await generateViaApi(request, {
      scene: uniqueScene('view'),
      page: 'pages/index/index',
      label: '双十一海报 Singles Day poster',
    });
    const views: Array<[string, string]> = [
      ['generator', '/'],
      ['history', '/history'],
      ['batches', '/batches'],
      ['audit', '/audit'],
      ['users', '/users'],
      ['keys', '/keys'],
      ['detail', `/codes/${code.id}`],
      ['living', `/codes/${(await livingViaApi(request)).id}`],
      ['campaigns', '/campaigns'],
      ['links', '/links'],
      ['share', new URL(code.share_url).pathname],
      ['not-found', '/no/such/page'],
    ];
    for (const [name, path] of views) {
      await gotoHydrated(page, path);
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: `screenshots/${name}-${width}-${lang}.png`, fullPage: true });
    }
    if (width === 1280) {
      // An admin's whole header (nine links, the sandbox badge, language, account) in one row.
      await gotoHydrated(page, '/');
      const middle = async (selector: string) => {
        const box = (await page.locator(selector).first().boundingBox())!;
        return box.y + box.height / 2;
      };
      const apart = Math.abs((await middle('.account-name')) - (await middle('.nav a')));
      expect(apart, 'the account beside the navigation, not under it').toBeLessThan(6);
    }
    if (lang === 'en') return;

    // The generator with a result: nothing jumps when the image arrives. Beside the form the box
    // keeps its size; below it (a phone) the empty box is short and grows downwards, where
    // nothing follows it.
    await gotoHydrated(page, '/');
    const panel = page.locator('section.result');
    // Page coordinates: on a phone the page scrolls to the result, which is not a shift.
    const box = () => panel.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top + window.scrollY, height: r.height };
    });
    await page.getByLabel('场景值 scene').fill(uniqueScene('shift'));
    const before = await box();
    await page.getByRole('button', { name: '生成小程序码' }).click();
    await expect(page.getByRole('img', { name: /小程序码，场景值/ })).toBeVisible();
    const after = await box();
    expect(after.top).toEqual(before.top);
    if (width >= 1280) expect(after.height).toEqual(before.height);
    else expect(before.height).toBeLessThan(300);
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `screenshots/generator-result-${width}.png`, fullPage: true });
  });
}

test('the keyboard alone can fill the form and generate', async ({ page }) => {
  await gotoHydrated(page, '/');
  const scene = uniqueScene('kb');
  await page.keyboard.press('Tab');
  // Tab order: skip link / brand, nav, language, then the form; find the scene field by tabbing.
  for (let i = 0; i < 20; i++) {
    if (await page.evaluate(() => document.activeElement?.id === 'scene')) break;
    await page.keyboard.press('Tab');
  }
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('scene');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).boxShadow);
  expect(outline, 'a visible focus ring').not.toBe('none');
  await page.keyboard.type(scene);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('img', { name: `小程序码，场景值 ${scene}` })).toBeVisible();
});

test('a skip link takes the keyboard past the navigation to the form: the app (with several), the living switch, then the scene', async ({ page }) => {
  await gotoHydrated(page, '/');
  const severalApps = (await page.locator('select#app').count()) > 0;
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳到正文' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  if (severalApps) {
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('app');
    await page.keyboard.press('Tab');
  }
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('living');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('scene');
});

test('on a phone the history still selects a whole page at once', async ({ page, request }) => {
  const tag = uniqueScene('ph').replace('=', '');
  for (const n of [1, 2, 3]) {
    await generateViaApi(request, { scene: `ph=${n}`, label: `${tag}-${n}` });
  }
  await page.setViewportSize({ width: 375, height: 800 });
  await gotoHydrated(page, `/history?q=${encodeURIComponent(tag)}`);
  const selectAll = page.getByRole('checkbox', { name: '选择本页全部' });
  await expect(selectAll).toBeVisible();
  await expect(page.locator('th.select-cell')).toHaveAttribute('data-label', '全选本页');
  await selectAll.check();
  await expect(page.getByText('已选择 3 个')).toBeVisible();
});

test('on a phone the navigation is one row that slides, with the current page in view', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  // The admin's last link: off the row's right end unless the row slides to it.
  await gotoHydrated(page, '/apps');
  const nav = page.getByRole('navigation', { name: '主导航' });
  const current = nav.locator('a[aria-current="page"]');
  await expect(current).toHaveText('小程序');
  const rows = await nav.evaluate((el) => new Set([...el.querySelectorAll('a')].map((a) => a.getBoundingClientRect().top)).size);
  expect(rows, 'links on one row').toBe(1);
  await expect
    .poll(() => current.evaluate((a) => {
      const box = a.getBoundingClientRect();
      const bar = a.parentElement!.getBoundingClientRect();
      return box.left >= bar.left - 1 && box.right <= bar.right + 1;
    }))
    .toBe(true);
  // The navigation no longer wraps into two or three rows: the header stays short.
  const header = await page.locator('header.topbar').boundingBox();
  expect(header!.height).toBeLessThan(130);
});
