import { test, expect, downloadOf, gotoHydrated, PNG_MAGIC, setSimulatorFaults, resetSimulator, simulatorCounters, uniqueScene } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

test('generating a code shows the image and a working download link', async ({ page, request }) => {
  await gotoHydrated(page, '/');
  await expect(page.locator('.topbar').getByText('沙箱 / Sandbox')).toBeVisible();

  const scene = uniqueScene('id');
  await page.getByLabel('场景值 scene').fill(scene);
  await expect(page.getByText(`${scene.length} / 32`)).toBeVisible();
  await page.getByLabel('页面路径 page（可选）').fill('pages/index/index');
  await page.getByRole('button', { name: '生成小程序码' }).click();

  const image = page.getByRole('img', { name: `小程序码，场景值 ${scene}` });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(430);

  const download = page.getByRole('link', { name: '下载图片' });
  // Named by the team's template when saved, with dates in the reader's zone.
  await expect(download).toHaveAttribute('href', /^\/api\/codes\/\d+\/image\?download=true&tz=/);
  const href = await download.getAttribute('href');
  const file = await request.get(href!);
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toBe('image/jpeg');
  const listed = await (await request.get('/api/codes?limit=1')).json();
  expect(listed.codes[0].scene).toBe(scene);
});

test('advanced options reach WeChat: a transparent code is a PNG of the chosen width', async ({ page, request }) => {
  await gotoHydrated(page, '/');
  const scene = uniqueScene('adv');
  await page.getByLabel('场景值 scene').fill(scene);
  await page.getByText('高级选项').click();
  await page.getByLabel('宽度（像素）').fill('600');
  await page.getByLabel('小程序版本').selectOption('trial');
  await page.getByLabel(/透明背景/).check();
  await page.getByRole('button', { name: '生成小程序码' }).click();

  await expect(page.getByRole('img', { name: `小程序码，场景值 ${scene}` })).toBeVisible();
  const listed = await (await request.get('/api/codes?limit=1')).json();
  expect(listed.codes[0]).toMatchObject({ scene, width: 600, env_version: 'trial', is_hyaline: true, image_type: 'image/png' });

  // The browser's download is byte for byte the stored image.
  const saved = await downloadOf(page, page.getByRole('link', { name: '下载图片' }));
  expect(saved.name).toMatch(/\.png$/);
  const stored = await request.get(`/api/codes/${listed.codes[0].id}/image`);
  expect(saved.bytes.equals(await stored.body())).toBeTruthy();
  expect(saved.bytes.subarray(0, 4).equals(PNG_MAGIC)).toBeTruthy();
});

test('copy image puts a PNG on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await gotoHydrated(page, '/');
  await page.getByLabel('场景值 scene').fill(uniqueScene('clip'));
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await page.getByRole('button', { name: '复制图片' }).click();
  await expect(page.getByText('图片已复制，可直接粘贴')).toBeVisible();
  const types = await page.evaluate(async () => {
    const items = await navigator.clipboard.read();
    return items.flatMap((item) => item.types);
  });
  expect(types).toContain('image/png');
});

test('a width with a fraction is refused in words, not rounded, and the box keeps it', async ({ page }) => {
  await gotoHydrated(page, '/');
  const before = await simulatorCounters();
  await page.getByLabel('场景值 scene').fill(uniqueScene('frac'));
  await page.getByText('高级选项').click();
  await page.getByLabel('宽度（像素）').fill('430.5');
  await expect(page.locator('#width-problems')).toContainText('宽度须为整数像素，当前为 430.5');
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page.getByText('还有 1 处需要修改，见标红的字段')).toBeVisible();
  await expect(page.getByLabel('宽度（像素）')).toHaveValue('430.5');
  // "Marked in red": the box itself, as the other fields are.
  await expect(page.locator('#width')).toHaveAttribute('aria-invalid', 'true');
  expect((await simulatorCounters()).code_calls).toBe(before.code_calls);

  await page.getByLabel('宽度（像素）').fill('640');
  await expect(page.locator('#width-problems')).toBeEmpty();
  await expect(page.locator('#width')).toHaveAttribute('aria-invalid', 'false');
});

test('with the advanced options open on a wide screen, the code made shows beside the button', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await gotoHydrated(page, '/');
  const scene = uniqueScene('wide');
  await page.getByLabel('场景值 scene').fill(scene);
  await page.getByText('高级选项').click();
  const button = page.getByRole('button', { name: '生成小程序码' });
  await button.scrollIntoViewIfNeeded();
  await button.click();
  await expect(page.locator('.result').getByRole('img', { name: `小程序码，场景值 ${scene}` })).toBeInViewport();
});

test('a width typed key by key stays as typed, and what is wrong with it is said of that text', async ({ page }) => {
  await gotoHydrated(page, '/');
  await page.getByText('高级选项').click();
  const width = page.getByLabel('宽度（像素）');
  for (const [typed, problem] of [
    ['430.5', '宽度须为整数像素，当前为 430.5'],
    ['1e3', '宽度须为整数像素，当前为 1e3'],
    ['-5', '当前为 -5'],
    ['12.', '宽度须为整数像素，当前为 12.'],
  ]) {
    await width.clear();
    await width.pressSequentially(typed, { delay: 30 });
    await expect(width).toHaveValue(typed);
    await expect(page.locator('#width-problems')).toContainText(problem);
    // One problem, about the text: not also one about the "1" typed on the way to "1e3".
    await expect(page.locator('#width-problems li')).toHaveCount(1);
  }
  // The address keeps the width as typed; a reload shows it, its problem, and the section open.
  await width.clear();
  await width.pressSequentially('1e3', { delay: 30 });
  await expect(page).toHaveURL(/width=1e3/);
  await page.reload();
  // Visible only once the page's script has opened the section: typing is safe from here.
  await expect(width).toBeVisible();
  await expect(width).toHaveValue('1e3');
  await expect(page.locator('#width-problems')).toContainText('宽度须为整数像素，当前为 1e3');
  await width.clear();
  await width.pressSequentially('640', { delay: 30 });
  await expect(width).toHaveValue('640');
  await expect(page.locator('#width-problems')).toBeEmpty();
  await expect(page.getByLabel('宽度滑块')).toHaveValue('640');
  // Emptied, the box means the default width, and the slider says so; so it does for a box that
  // holds no width (as a reload of the form shows it), not the last number typed.
  await width.clear();
  await expect(page.getByLabel('宽度滑块')).toHaveValue('430');
  await width.pressSequentially('640', { delay: 30 });
  await expect(page.getByLabel('宽度滑块')).toHaveValue('640');
  await width.pressSequentially('.5', { delay: 30 });
  await expect(page.getByLabel('宽度滑块')).toHaveValue('430');
  // A link spelling a whole width with zeros after the point means that width, as the box does.
  await gotoHydrated(page, '/?scene=a%3D1&width=600.0');
  await expect(width).toHaveValue('600');
  await expect(page.getByLabel('宽度滑块')).toHaveValue('600');
});

test('Back from the new code’s page shows the code just made, and so does a reload', async ({ page }) => {
  await gotoHydrated(page, '/');
  const scene = uniqueScene('back');
  await page.getByLabel('场景值 scene').fill(scene);
  await page.getByRole('button', { name: '生成小程序码' }).click();
  const made = page.locator('.result').getByRole('img', { name: `小程序码，场景值 ${scene}` });
  await expect(made).toBeVisible();
  await expect(page).toHaveURL(/[?&]made=\d+/);

  await page.getByRole('link', { name: '查看此码详情' }).click();
  await expect(page).toHaveURL(/\/codes\/\d+$/);
  await page.goBack();
  await expect(page).toHaveURL(/[?&]made=\d+/);
  await expect(page.getByLabel('场景值 scene')).toHaveValue(scene);
  await expect(made).toBeVisible();

  await page.reload();
  await expect(made).toBeVisible();
  // After a reload too, the address follows every edit (a reload would bring back what is typed).
  const label = page.locator('#label');
  await label.pressSequentially('ab', { delay: 50 });
  await expect(page).toHaveURL(/label=ab(&|$)/);
  await label.clear();
  await expect(page).toHaveURL(/[?&]made=\d+/);
  // Editing the form keeps the last code in view until the next one is made, marked as made
  // before the change; the address no longer pairs it with the form (a reload would).
  const sceneBox = page.getByLabel('场景值 scene');
  const madeBefore = page.getByText('此码与表单不一致：它是按其他内容生成的');
  await expect(madeBefore).toHaveCount(0);
  await sceneBox.fill(`${scene}x`);
  await expect(made).toBeVisible();
  await expect(madeBefore).toBeVisible();
  await expect(page).not.toHaveURL(/made=/);
  // A submit the form refuses changes nothing of that.
  await sceneBox.fill(`${scene}中`);
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page.locator('#scene-problems')).toContainText('中');
  await expect(madeBefore).toBeVisible();
  await expect(page).not.toHaveURL(/made=/);
  // Back to what made it: the code is the form's again.
  await sceneBox.fill(scene);
  await expect(madeBefore).toHaveCount(0);
  await expect(page).toHaveURL(/[?&]made=\d+/);

  // An address pairing the code with another form (edited by hand, an old bookmark) does not
  // make it that form's code.
  const id = new URL(page.url()).searchParams.get('made');
  await gotoHydrated(page, `/?scene=${scene}zz&made=${id}`);
  await expect(made).toBeVisible();
  await expect(madeBefore).toBeVisible();
  await expect(page).not.toHaveURL(/made=/);
});

test('on a phone a reload brings the reader back to the code just made, not above it', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await gotoHydrated(page, '/');
  const scene = uniqueScene('phone');
  await page.getByLabel('场景值 scene').fill(scene);
  await page.getByRole('button', { name: '生成小程序码' }).click();
  const made = page.locator('.result').getByRole('img', { name: `小程序码，场景值 ${scene}` });
  await expect(made).toBeVisible();
  await made.evaluate((image) => image.scrollIntoView({ block: 'center' }));
  const before = await page.evaluate(() => window.scrollY);
  expect(before).toBeGreaterThan(300);

  await page.reload();
  await expect(made).toBeVisible();
  // The code comes back after the page has loaded: until then its box keeps the code's room.
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(before - 20);
  expect(await page.evaluate(() => window.scrollY)).toBeLessThan(before + 20);
});

test('a bad scene is explained under the field and nothing is sent', async ({ page }) => {
  await gotoHydrated(page, '/');
  const before = await simulatorCounters();
  const rpcCalls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/rpc/')) rpcCalls.push(r.url());
  });

  const scene = page.getByLabel('场景值 scene');
  await scene.fill('id=1 中文%');
  await expect(page.getByText(/场景值含不允许的字符：“ ”\(U\+0020\) “中” “文” “%”/)).toBeVisible();
  await expect(scene).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await scene.fill('a'.repeat(33));
  await expect(page.getByText('场景值最多 32 个字符，当前 33 个')).toBeVisible();
  await expect(page.getByText('33 / 32')).toBeVisible();

  // Submitting an empty form says what is missing.
  await scene.fill('');
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page.getByText('场景值 scene 不能为空')).toBeVisible();

  expect(rpcCalls).toEqual([]);
  expect((await simulatorCounters()).code_calls).toBe(before.code_calls);
});

test('a WeChat error is shown as a human message with its errcode and the form keeps its values', async ({ page, browserErrors }) => {
  // The failed server call answers 502, which Chromium reports on the console.
  browserErrors.expect(/status of 502/);
  await gotoHydrated(page, '/');
  await setSimulatorFaults({ errcode: 45009 });
  const scene = uniqueScene('rate');
  await page.getByLabel('场景值 scene').fill(scene);
  await page.getByRole('button', { name: '生成小程序码' }).click();
  await expect(page.getByRole('alert')).toContainText('调用太频繁');
  await expect(page.getByRole('alert')).toContainText('错误码 45009');
  await expect(page.getByLabel('场景值 scene')).toHaveValue(scene);
  // The refusal was about what was sent: editing the form lets it go.
  await page.getByLabel('场景值 scene').fill(`${scene}x`);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the page keeps working after a reload, and Enter submits', async ({ page }) => {
  await gotoHydrated(page, '/');
  await page.reload();
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  const scene = uniqueScene('reload');
  await page.getByLabel('场景值 scene').fill(scene);
  await page.getByLabel('场景值 scene').press('Enter');
  await expect(page.getByRole('img', { name: `小程序码，场景值 ${scene}` })).toBeVisible();
});

test('the key=value helper builds the scene and shows what the mini program receives', async ({ page }) => {
  await gotoHydrated(page, '/');
  await page.getByText('用键值对组成场景值').click();
  await page.getByRole('textbox', { name: '键', exact: true }).fill('id');
  await page.getByRole('textbox', { name: '值', exact: true }).fill('42');
  await page.getByRole('button', { name: '+ 添加一行' }).click();
  await page.getByRole('textbox', { name: '键', exact: true }).nth(1).fill('from');
  await page.getByRole('textbox', { name: '值', exact: true }).nth(1).fill('poster');
  await expect(page.getByLabel('场景值 scene')).toHaveValue('id=42&from=poster');
  await expect(page.getByText('"id%3D42%26from%3Dposter"')).toBeVisible();

  await page.getByRole('button', { name: '删除这一行' }).first().click();
  await expect(page.getByLabel('场景值 scene')).toHaveValue('from=poster');
});

test('the key=value helper keeps the parts of a scene that are not pairs, and a new row takes the typing', async ({ page }) => {
  await gotoHydrated(page, '/');
  const scene = page.getByLabel('场景值 scene');
  await scene.fill('abc&=5&x=1');
  await page.getByText('用键值对组成场景值').click();
  const values = page.getByRole('textbox', { name: '值', exact: true });
  await expect(values).toHaveCount(3);
  await values.nth(2).fill('2');
  await expect(scene).toHaveValue('abc&=5&x=2');

  await page.getByRole('button', { name: '+ 添加一行' }).click();
  await expect(page.getByRole('textbox', { name: '键', exact: true }).nth(3)).toBeFocused();
  await page.keyboard.type('from');
  await expect(scene).toHaveValue('abc&=5&x=2&from');

  // Empty parts stay too, and removing a row hands the focus to the one in its place.
  await scene.fill('a=1&&b=2&');
  await expect(values).toHaveCount(4);
  // An empty part is empty, not an example to fill in.
  await expect(page.getByRole('textbox', { name: '键', exact: true }).nth(1)).not.toHaveAttribute('placeholder');
  await values.nth(2).fill('29');
  await expect(scene).toHaveValue('a=1&&b=29&');
  await page.getByRole('button', { name: '删除这一行' }).nth(1).click();
  await expect(scene).toHaveValue('a=1&b=29&');
  await expect(page.getByRole('textbox', { name: '键', exact: true }).nth(1)).toBeFocused();
});

test('the reason a form posted before the script loaded came back goes once the form is edited', async ({ page }) => {
  await gotoHydrated(page, `/?scene=a%20b&error=${encodeURIComponent('场景值不合法')}`);
  const banner = page.getByRole('alert').filter({ hasText: '场景值不合法' });
  await expect(banner).toHaveText('场景值不合法');
  await page.getByLabel('场景值 scene').fill('ab');
  await expect(banner).toHaveCount(0);
});

test('what the mini program receives shows only for a scene a code can carry', async ({ page }) => {
  await gotoHydrated(page, '/');
  const scene = page.getByLabel('场景值 scene');
  await scene.fill('id=1');
  await expect(page.getByText('"id%3D1"')).toBeVisible();
  await scene.fill('id=会员');
  await expect(page.locator('#scene-problems')).not.toBeEmpty();
  await expect(page.locator('.scene-received')).toHaveCount(0);
});
