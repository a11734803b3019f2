import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, downloadOf, generateViaApi as generate, gotoHydrated, resetSimulator, uniqueScene } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

/** What poppler's pdftotext reads from the PDF. */
function pdfText(bytes: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sheet-')), 'sheet.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-']).toString('utf8');
}

test('chosen codes open a print preview and download as a label sheet PDF', async ({ page, request }) => {
  const tag = uniqueScene('pr').replace('=', '');
  for (let n = 1; n <= 14; n++) {
    await generate(request, { scene: `p=${n}`, label: `门店${tag}-${n}` });
  }
  // One more, chosen and then deleted elsewhere: the print page leaves it out and says so.
  const gone = await generate(request, { scene: 'p=15', label: `门店${tag}-删` });
  await gotoHydrated(page, `/history?q=${encodeURIComponent(tag)}`);
  await expect(page.locator('tbody tr')).toHaveCount(15);
  await page.getByRole('checkbox', { name: '选择本页全部' }).check();
  expect((await request.delete(`/api/codes/${gone.id}`)).ok()).toBeTruthy();
  await page.getByRole('link', { name: '打印标签' }).click();

  await expect(page).toHaveURL(/\/print\?ids=/);
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(page.getByText(`已跳过 1 个已删除的码：门店${tag}-删 (#${gone.id})`)).toBeVisible();
  await expect(page.getByText('14 个码 · 14 个标签 · 2 页')).toBeVisible();
  const preview = page.locator('.preview-page');
  await expect(preview.locator('img.preview-code')).toHaveCount(12);
  // In the order chosen: the history's, newest first.
  await expect(preview.getByText(`门店${tag}-14`, { exact: true })).toBeVisible();
  await expect(preview.getByText(`门店${tag}-1`, { exact: true })).toHaveCount(0);

  // A half-used sheet: start at cell 12; the first eleven are shown as used.
  await page.getByLabel('从第几格开始').fill('12');
  await expect(page.getByText('14 个码 · 14 个标签 · 3 页')).toBeVisible();
  await expect(preview.locator('img.preview-code')).toHaveCount(1);
  await expect(preview.locator('.preview-cell.used')).toHaveCount(11);

  // Bad input is named by field and nothing can be downloaded until it is fixed.
  await page.getByLabel('从第几格开始').fill('13');
  await expect(page.getByText('起始格须在 1 至 12 之间')).toBeVisible();
  await expect(page.getByRole('button', { name: '请先修正上面的设置' })).toBeDisabled();
  await page.getByLabel('从第几格开始').fill('1');
  await page.getByLabel('第 3 行').selectOption({ label: '自定义文字' });
  await expect(page.getByText('选了“自定义文字”行，请填写文字')).toBeVisible();
  await page.getByRole('textbox', { name: /自定义文字/ }).fill('扫码领券');
  await expect(preview.getByText('扫码领券')).toHaveCount(12);

  // The settings live in the address: a reload keeps them.
  await page.reload();
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(page.getByRole('textbox', { name: /自定义文字/ })).toHaveValue('扫码领券');
  await expect(page.getByLabel('第 3 行')).toHaveValue('text');

  const pdf = await downloadOf(page, page.getByRole('link', { name: '下载 PDF' }));
  expect(pdf.name).toMatch(/^wxacode-labels-.*-14\.pdf$/);
  expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const text = pdfText(pdf.bytes);
  expect(text.match(/扫码领券/g)).toHaveLength(14);
  expect(text).toContain(`门店${tag}-14`);
});

test('a custom grid too small to scan is refused in English, and a wrong source says how to choose', async ({ page, request, baseURL, browserErrors }) => {
  browserErrors.expect(/status of 400/);
  await page.context().addCookies([{ name: 'wxacode_lang', value: 'en', url: baseURL! }]);
  await gotoHydrated(page, '/print');
  await expect(page.getByText('No codes are chosen yet: tick them in the history, then press Print labels.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Choose codes in the history' })).toBeVisible();

  const created = await generate(request, { scene: uniqueScene('grid') });
  await gotoHydrated(page, `/print?ids=${created.id}&sheet=custom&columns=12&rows=20`);
  await expect(page.getByText(/Cells would be .* under the 15 mm a scan needs/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Fix the settings first' })).toBeDisabled();
  await page.getByLabel('Columns').fill('4');
  await page.getByLabel('Rows').fill('5');
  await expect(page.getByText('1 code · 1 label · 1 page')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Download PDF' })).toHaveAttribute('href', /columns=4&rows=5/);
});
