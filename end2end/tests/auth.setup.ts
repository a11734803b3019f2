import { test as setup, expect, ADMIN, ADMIN_STATE, signIn } from './fixtures';

setup('the admin signs in through the sign-in form', async ({ page, baseURL }) => {
  await page.goto('/history');
  await expect(page).toHaveURL(/\/login\?next=%2Fhistory$/);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(`${baseURL}/history`);
  await expect(page.locator('.account-name')).toContainText(ADMIN.email);
  await page.context().storageState({ path: ADMIN_STATE });
});
