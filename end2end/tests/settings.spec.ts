import AdmZip from 'adm-zip';
import { test, expect, downloadOf, generateViaApi as generate, gotoHydrated, uniqueScene } from './fixtures';

const DEFAULT_TEMPLATE = '{label}_{scene}_{id}';

// The template is the team's: put it back for the specs that run after this one.
test.afterEach(async ({ request }) => {
  const restored = await request.put('/api/settings', { data: { name_template: DEFAULT_TEMPLATE } });
  expect(restored.ok(), await restored.text()).toBeTruthy();
});

test('an admin sets the naming template and downloads and ZIPs follow it', async ({ page, request }) => {
  const tag = uniqueScene('nm').replace('=', '');
  const first = await generate(request, { scene: `n=1`, label: `门店${tag}` });
  await generate(request, { scene: `n=2`, label: `门店${tag}` });

  await gotoHydrated(page, '/settings');
  const field = page.getByLabel('命名模板');
  await expect(field).toHaveValue(DEFAULT_TEMPLATE);
  await expect(page.getByText('示例：')).toContainText('双十一海报_id_123_c_store_1024.jpg');

  // A field that does not exist is named, and nothing can be saved.
  await field.fill('{label}_{colour}');
  await expect(page.getByText('命名模板里没有 {colour} 这个字段')).toBeVisible();
  await expect(page.getByRole('button', { name: '保存' })).toBeDisabled();

  // Fields go in by their buttons too.
  await field.fill('');
  await page.getByRole('button', { name: '{label}' }).click();
  await field.press('End');
  await field.pressSequentially('-');
  await page.getByRole('button', { name: '{scene}' }).click();
  await expect(field).toHaveValue('{label}-{scene}');
  await expect(page.getByText('示例：')).toContainText('双十一海报-id_123_c_store.jpg');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('命名模板已保存')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('命名模板')).toHaveValue('{label}-{scene}');
  await expect(page.getByText(/上次修改：/)).toBeVisible();

  // A single download and the history's ZIP are named by it.
  await gotoHydrated(page, `/codes/${first.id}`);
  const image = await downloadOf(page, page.getByRole('link', { name: '下载图片' }));
  expect(image.name).toBe(`门店${tag}-n_1.jpg`);
  await gotoHydrated(page, `/history?q=${encodeURIComponent(tag)}`);
  await page.getByRole('checkbox', { name: '选择本页全部' }).check();
  const zip = await downloadOf(page, page.getByRole('link', { name: '下载 ZIP' }));
  const names = new AdmZip(zip.bytes).getEntries().map((e) => e.entryName).sort();
  expect(names).toEqual([`门店${tag}-n_1.jpg`, `门店${tag}-n_2.jpg`, 'manifest.csv'].sort());

  // Back to the default in one click.
  await gotoHydrated(page, '/settings');
  await page.getByRole('button', { name: '恢复默认' }).click();
  await expect(page.getByLabel('命名模板')).toHaveValue(DEFAULT_TEMPLATE);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('命名模板已保存')).toBeVisible();
});
