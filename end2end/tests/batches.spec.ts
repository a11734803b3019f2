import AdmZip from 'adm-zip';
import { test, expect, downloadOf, gotoHydrated, resetSimulator, setSimulatorFaults, uniqueScene } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

test('a CSV is checked row by row, runs with live progress to 100 % and downloads as a ZIP', async ({ page }) => {
  const tag = uniqueScene('b').replace('=', '');
  const rows = ['scene,label', ...Array.from({ length: 12 }, (_, i) => `b${i}=${tag},${tag}-${i}`), 'bad scene,oops'];
  await gotoHydrated(page, '/batches');
  await page.getByLabel(/表格文件/).setInputFiles({ name: `${tag}.csv`, mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.getByRole('button', { name: '检查' }).click();
  await expect(page.getByText('12 行有效，1 行有问题')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'bad scene' })).toBeVisible();

  await setSimulatorFaults({ latency_ms: 150 }); // slow enough to watch it move
  await page.getByRole('button', { name: '开始生成 12 个小程序码' }).click();
  const job = page.locator('li.job').filter({ hasText: tag });
  await expect(job.getByText('进行中')).toBeVisible();
  await expect(job.getByText(/^100%/)).toBeVisible({ timeout: 20_000 });
  await expect(job.getByText('已完成')).toBeVisible();

  const zip = await downloadOf(page, job.getByRole('link', { name: '下载 ZIP' }));
  const names = new AdmZip(zip.bytes).getEntries().map((e) => e.entryName);
  expect(names).toHaveLength(13);
  expect(names).toContain('manifest.csv');

  // Its codes in the history, tagged with the job.
  await job.getByRole('link', { name: '在历史中查看' }).click();
  await expect(page.getByText(/只显示批量任务 #\d+ 的小程序码/)).toBeVisible();
  await expect(page.locator('tbody tr')).toHaveCount(12);
});

test('pasted rows can be paused and resumed', async ({ page }) => {
  const tag = uniqueScene('p').replace('=', '');
  const rows = ['scene\tlabel', ...Array.from({ length: 30 }, (_, i) => `p${i}=${tag}\t${tag}`)];
  await gotoHydrated(page, '/batches');
  await page.getByLabel(/或粘贴数据行/).fill(rows.join('\n'));
  await page.getByLabel('任务名称').fill(tag);
  await page.getByRole('button', { name: '检查' }).click();
  await setSimulatorFaults({ latency_ms: 200 });
  await page.getByRole('button', { name: '开始生成 30 个小程序码' }).click();
  const job = page.locator('li.job').filter({ hasText: tag });
  await job.getByRole('button', { name: '暂停' }).click();
  await expect(job.getByText('已暂停')).toBeVisible();
  await setSimulatorFaults({});
  await job.getByRole('button', { name: '继续' }).click();
  await expect(job.getByText('已完成')).toBeVisible({ timeout: 20_000 });
  await expect(job.getByText(/完成 30 ·/)).toBeVisible();
});

test('unrecognised headers get a column mapping step', async ({ page, browserErrors }) => {
  browserErrors.expect(/status of 400/); // the first check is refused on purpose
  const tag = uniqueScene('m').replace('=', '');
  await gotoHydrated(page, '/batches');
  await page.getByLabel(/表格文件/).setInputFiles({
    name: `${tag}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(`店铺,码参数\n北京 ${tag},m1=${tag}\n上海 ${tag},m2=${tag}\n`),
  });
  await page.getByRole('button', { name: '检查' }).click();
  await expect(page.getByText(/找不到场景值列/)).toBeVisible();
  await page.getByLabel('码参数').selectOption('scene');
  await page.getByLabel('店铺').selectOption('label');
  await page.getByRole('button', { name: '检查' }).click();
  await expect(page.getByText('2 行有效，0 行有问题')).toBeVisible();
  await page.getByRole('button', { name: '开始生成 2 个小程序码' }).click();
  await expect(page.locator('li.job').filter({ hasText: tag }).getByText('已完成')).toBeVisible({ timeout: 20_000 });
});
