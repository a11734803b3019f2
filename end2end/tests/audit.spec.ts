import { test, expect, ADMIN, generateViaApi, gotoHydrated, resetSimulator, uniqueScene } from './fixtures';

test.beforeEach(async () => {
  await resetSimulator();
});

test('the audit trail shows a delete made in the dashboard, filtered by action', async ({ page, request }) => {
  const created = await generateViaApi(request, { scene: uniqueScene('audit') });
  await gotoHydrated(page, `/codes/${created.id}`);
  await page.getByRole('button', { name: '删除…' }).click();
  await page.getByRole('button', { name: '确定删除' }).click();
  await expect(page.getByText('已删除').first()).toBeVisible();

  await gotoHydrated(page, '/audit');
  await page.getByLabel('操作').selectOption('delete');
  await expect(page).toHaveURL(/action=delete/);
  const row = page.locator('tbody tr').filter({ has: page.getByRole('link', { name: `#${created.id}` }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('删除');
  await expect(row).toContainText('网页');
  await expect(row).toContainText(ADMIN.email, { useInnerText: true });
  await page.reload();
  await expect(page.getByLabel('操作')).toHaveValue('delete');

  // Only this account's events; another account's name finds none.
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  await page.getByRole('searchbox', { name: '账号' }).fill(ADMIN.email);
  await page.getByRole('searchbox', { name: '账号' }).press('Enter');
  await expect(page).toHaveURL(/actor=admin%40example\.com/);
  await expect(row).toHaveCount(1);
  await page.getByRole('searchbox', { name: '账号' }).fill('nobody@example.com');
  await page.getByRole('searchbox', { name: '账号' }).press('Enter');
  await expect(page.getByText('还没有记录')).toBeVisible();
});
