// `node --test miniprogram/`: the module against a running wxacode server, through a stand-in
// `wx` whose `request` does real HTTP. The server's address and codes come from the environment
// (server/tests/api/miniprogram.rs sets them); without them only the offline tests run.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const wxacode = require('./wxacode.js');

/** wx.request on top of fetch, as the mini program runtime behaves (HTTP errors are successes). */
function request({ url, method, success, fail }) {
  fetch(url, { method })
    .then(async (res) => {
      const text = await res.text();
      let data = text;
      try {
        data = JSON.parse(text);
      } catch (e) {
        /* not JSON */
      }
      success({ statusCode: res.status, data, header: Object.fromEntries(res.headers) });
    })
    .catch((e) => fail({ errMsg: 'request:fail ' + e.message }));
}

test('a direct scene decodes and splits into its parameters', () => {
  assert.deepStrictEqual(wxacode.parseScene({ scene: 'id%3D123%26from%3Dposter' }), { id: '123', from: 'poster' });
  assert.deepStrictEqual(wxacode.parseScene({ scene: 'flag&x=a=b' }), { flag: '', x: 'a=b' });
  assert.deepStrictEqual(wxacode.parseScene({}), {});
});

test('only k= and eight base62 characters is a living scene', () => {
  assert.ok(wxacode.isLivingScene({ scene: 'k%3DaZ09bY18' }));
  assert.ok(!wxacode.isLivingScene({ scene: 'k=aZ09bY1' }));
  assert.ok(!wxacode.isLivingScene({ scene: 'id=1' }));
});

const base = process.env.WXACODE_BASE;
const live = { skip: base ? false : 'WXACODE_BASE is not set' };

test('an active code resolves to its target', live, async () => {
  const scene = encodeURIComponent(process.env.WXACODE_ACTIVE_SCENE);
  const result = await wxacode.resolve({ scene, wxScene: 1047 }, { base, clientId: 'node-test', request });
  assert.strictEqual(result.status, 'active');
  assert.strictEqual(result.page, 'pages/promo/promo');
  assert.deepStrictEqual(result.params, { campaign: '双十一', ch: 'poster' });
  assert.strictEqual(result.path, 'pages/promo/promo?campaign=%E5%8F%8C%E5%8D%81%E4%B8%80&ch=poster');
});

test('a paused code resolves to its fallback page', live, async () => {
  const scene = encodeURIComponent(process.env.WXACODE_PAUSED_SCENE);
  const result = await wxacode.resolve({ scene }, { base: base + '/', request });
  assert.deepStrictEqual(result, { status: 'paused', page: 'pages/sorry/sorry', params: {}, path: 'pages/sorry/sorry' });
});

test('an unknown code is an error with its status', live, async () => {
  await assert.rejects(wxacode.resolve({ scene: 'k%3Dzzzzzzzz' }, { base, request }), (error) => error.statusCode === 404);
});

test('go redirects to the path, and a tab page through switchTab', () => {
  const calls = [];
  global.wx = {
    redirectTo: (o) => { calls.push(['redirectTo', o.url]); o.fail(); },
    switchTab: (o) => calls.push(['switchTab', o.url]),
  };
  wxacode.go({ page: 'pages/tab/tab', path: 'pages/tab/tab?a=1' });
  wxacode.go({ page: '', path: '' });
  assert.deepStrictEqual(calls, [['redirectTo', '/pages/tab/tab?a=1'], ['switchTab', '/pages/tab/tab']]);
  delete global.wx;
});
