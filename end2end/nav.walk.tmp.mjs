import { launch, watch, hydrated, BASE } from './common.walk.tmp.mjs';
const b = await launch();
const ctx = await b.newContext({ viewport: { width: 1280, height: 900 }, storageState: '/tmp/walk-state.json' });
const page = await ctx.newPage();
watch(page, () => page.url());
const pkg = [];
page.on('request', r => { if (r.url().includes('/pkg/')) pkg.push([Date.now(), r.url().split('/pkg/')[1]]); });
await page.goto(BASE + '/');
await hydrated(page);
await page.waitForTimeout(1000);
console.log('initial pkg requests:', pkg.map(p => p[1]).join(' '));
pkg.length = 0;
const links = ['/history','/batches','/campaigns','/links','/audit','/users','/keys','/apps','/settings','/account'];
for (const href of links) {
  const before = await page.locator('main').innerText();
  const t0 = Date.now();
  const sel = href === '/settings' ? 'a.settings-link' : href === '/account' ? 'a.account-name' : `nav a[href="${href}"]`;
  await page.click(sel);
  await page.waitForURL(BASE + href);
  const tUrl = Date.now() - t0;
  await page.waitForFunction(b => document.querySelector('main')?.innerText !== b, before, { timeout: 10000 }).catch(() => console.log('main unchanged', href));
  const tMain = Date.now() - t0;
  await page.waitForTimeout(800);
  console.log(`\n=== ${href} url ${tUrl}ms main ${tMain}ms title=${await page.title()} hydrated=${await page.getAttribute('body','data-hydrated')}`);
  console.log('pkg:', pkg.map(p => `${p[1]}@+${p[0]-t0}`).join(' ')); pkg.length = 0;
  console.log((await page.locator('main').innerText()).slice(0, 1500));
  await page.screenshot({ path: `/tmp/walk-shots/nav${href.replace(/\//g,'_')}.png`, fullPage: true });
}
await b.close();
