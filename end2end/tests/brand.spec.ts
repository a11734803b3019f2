import AdmZip from 'adm-zip';
import { test, expect, downloadOf, generateViaApi as generate, gotoHydrated, PNG_MAGIC, resetSimulator, uniqueScene } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

/** A 16 × 16 red PNG. */
const RED_LOGO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGUlEQVR4nGO4w8DwnxLMMGrAqAGjBgwXAwDgDNsQsHlkjAAAAABJRU5ErkJggg==',
  'base64',
);

test('a code gets a poster and its own centre logo on its page, and both go into a ZIP', async ({ page, request, browserErrors }) => {
  browserErrors.expect(/status of 400/);
  const tag = uniqueScene('br').replace('=', '');
  const created = await generate(request, { scene: `b=${tag.slice(-8)}`, label: `海报${tag}` });
  await gotoHydrated(page, `/codes/${created.id}`);

  // The poster, redrawn as its settings change; a bad size is named and hides the download.
  const poster = page.getByRole('img', { name: '海报预览' });
  await expect(poster).toHaveAttribute('src', /poster\.png/);
  await page.getByLabel('码的边长（像素）').fill('5000');
  await expect(page.getByText('海报上码的边长须在 200 至 1280 像素之间，收到 5000')).toBeVisible();
  await expect(page.getByRole('link', { name: '下载海报 PNG' })).toHaveCount(0);
  await page.getByLabel('码的边长（像素）').fill('300');
  await page.getByLabel('海报第 2 行').selectOption({ label: '自定义文字' });
  await page.getByLabel('自定义文字', { exact: true }).fill('扫码领券');
  await expect(poster).toHaveAttribute('src', /size=300.*text=%E6%89%AB/);
  const png = await downloadOf(page, page.getByRole('link', { name: '下载海报 PNG' }));
  expect(png.name).toMatch(/-poster\.png$/);
  expect(png.bytes.subarray(0, 4).equals(PNG_MAGIC)).toBeTruthy();
  // The settings are in the address: a reload keeps them.
  await expect(page).toHaveURL(/size=300.*text=/);
  await page.reload();
  await expect(page.getByLabel('码的边长（像素）')).toHaveValue('300');
  await expect(page.getByLabel('自定义文字', { exact: true })).toHaveValue('扫码领券');
  await expect(poster).toHaveAttribute('src', /size=300.*text=%E6%89%AB/);

  // No logo yet; one uploaded for this code is drawn in the centre and can be removed again.
  await expect(page.getByText('还没有标志。')).toBeVisible();
  await page.getByLabel('上传本码的标志').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: RED_LOGO });
  await expect(page.getByText('已设置本码的标志')).toBeVisible();
  await expect(page.getByText('使用本码自己的标志。')).toBeVisible();
  await expect(page.getByRole('img', { name: '带标志的小程序码' })).toBeVisible();
  const branded = await downloadOf(page, page.getByRole('link', { name: '下载带标志的 PNG' }));
  expect(branded.name).toMatch(/-logo\.png$/);

  // A file that is not an image is refused with the reason.
  await page.getByLabel('上传本码的标志').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
  await expect(page.getByText('标志须为 PNG 或 JPEG 图片，这个文件无法读取')).toBeVisible();

  // The ZIP from the history holds the original, the poster and the logo version.
  await gotoHydrated(page, `/history?q=${encodeURIComponent(tag)}`);
  await page.getByRole('checkbox', { name: '选择本页全部' }).check();
  await page.getByLabel('含海报').check();
  await page.getByLabel('含带标志版本').check();
  const zip = await downloadOf(page, page.getByRole('link', { name: '下载 ZIP' }));
  const names = new AdmZip(zip.bytes).getEntries().map((e) => e.entryName);
  expect(names.filter((n) => n.endsWith('-poster.png'))).toHaveLength(1);
  expect(names.filter((n) => n.endsWith('-logo.png'))).toHaveLength(1);

  await gotoHydrated(page, `/codes/${created.id}`);
  await page.getByRole('button', { name: '移除本码的标志' }).click();
  await expect(page.getByText('还没有标志。')).toBeVisible();
});
