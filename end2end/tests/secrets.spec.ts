import { test, expect, SIMULATOR_URL } from './fixtures';

// The sandbox credentials (src/simulator/mod.rs): the app's real secret in this run.
const APPID = 'wxsandbox0000000001';
const SECRET = 'sandbox-secret-not-for-production';

test('neither the AppSecret nor the live access token reaches pages, scripts or the wasm', async ({ request }) => {
  // Make sure a token exists, then read the live one as WeChat would hand it out.
  expect((await request.post('/api/qrcode', { data: { scene: 'secret=1' } })).ok()).toBeTruthy();
  const stable = await request.post(`${SIMULATOR_URL}/cgi-bin/stable_token`, {
    data: { grant_type: 'client_credential', appid: APPID, secret: SECRET },
  });
  const token: string = (await stable.json()).access_token;
  expect(token.length).toBeGreaterThan(10);

  // The pages name their script, wasm, split loader and page chunks (content-hashed in release
  // builds); every group of pages is behind one of these.
  const pages = ['/', '/history', '/batches', '/audit', '/login'];
  const htmls = await Promise.all(pages.map(async (path) => (await request.get(path)).text()));
  const assets = [...new Set(htmls.flatMap((html) => html.match(/\/pkg\/[\w.-]+\.(?:js|wasm)/g) ?? []))];
  expect(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.wasm')), `${assets}`).toBeTruthy();
  expect(assets.filter((a) => a.startsWith('/pkg/split_')).length, `${assets}`).toBeGreaterThanOrEqual(3);
  for (const path of [...pages, ...assets, '/api/codes?limit=5', '/api/health']) {
    const response = await request.get(path);
    expect(response.ok(), `${path} answers`).toBeTruthy();
    const body = (await response.body()).toString('latin1');
    expect(body.includes(SECRET), `${path} holds the secret`).toBeFalsy();
    expect(body.includes(token), `${path} holds the access token`).toBeFalsy();
  }
});
