/**
 * wxacode for your mini program: read a code's scene, and resolve living codes (活码).
 * Copy this file into your mini program; it needs nothing else.
 *
 *   const wxacode = require('./wxacode.js');
 *   // in the landing page (pages/index/index by default):
 *   onLoad(options) {
 *     if (wxacode.isLivingScene(options)) {
 *       wxacode.resolve(options, { base: 'https://codes.example.com' }).then(wxacode.go);
 *     }
 *   }
 */
'use strict';

const LIVING_SCENE = /^k=[0-9A-Za-z]{8}$/;

/** The scene as the code carries it: WeChat hands `options.scene` over URI-encoded. */
function sceneOf(options) {
  const raw = options && options.scene;
  if (raw === undefined || raw === null || raw === '') return '';
  try {
    return decodeURIComponent(String(raw));
  } catch (e) {
    return String(raw);
  }
}

/** A direct code's parameters: `id=123&from=poster` → `{ id: '123', from: 'poster' }`. */
function parseScene(options) {
  const params = {};
  sceneOf(options)
    .split('&')
    .filter(Boolean)
    .forEach((part) => {
      const at = part.indexOf('=');
      if (at < 0) params[part] = '';
      else params[part.slice(0, at)] = part.slice(at + 1);
    });
  return params;
}

/** Whether the page was opened by a living code (its scene is `k=` and 8 characters). */
function isLivingScene(options) {
  return LIVING_SCENE.test(sceneOf(options));
}

/** The launch scene value (1047 scan, 1048 long-press, 1049 album), when the runtime tells. */
function launchScene(options) {
  if (options && options.wxScene) return options.wxScene;
  try {
    if (typeof wx !== 'undefined' && wx.getLaunchOptionsSync) return wx.getLaunchOptionsSync().scene;
  } catch (e) {
    /* not in a mini program */
  }
  return undefined;
}

/**
 * Asks the wxacode server what a living code means now.
 * Resolves to `{ status, page, params, path }`: `status` is `active` (go to `page`), or `paused` /
 * `ended` (`page` is the fallback; empty means stay on the home page). Rejects for an unknown code,
 * a network failure, or too many requests (`error.retryAfter` in seconds).
 *
 * `settings.base`: the server, e.g. `https://codes.example.com` (add it to the mini program's
 * request domains). `settings.clientId`: any id the phone keeps, to count distinct scanners;
 * the server stores only a salted hash.
 */
function resolve(options, settings) {
  const base = String((settings && settings.base) || '').replace(/\/+$/, '');
  const scene = sceneOf(options);
  const query = [];
  const wxScene = launchScene(options);
  if (wxScene !== undefined) query.push('wx_scene=' + encodeURIComponent(wxScene));
  if (settings && settings.clientId) query.push('client=' + encodeURIComponent(settings.clientId));
  const url = base + '/api/r/' + encodeURIComponent(scene) + (query.length ? '?' + query.join('&') : '');
  const request = (settings && settings.request) || wx.request;
  return new Promise((done, fail) => {
    request({
      url,
      method: 'GET',
      success(res) {
        const body = res.data || {};
        if (res.statusCode === 200 || res.statusCode === 410) {
          done({ status: body.status, page: body.page || '', params: body.params || {}, path: body.path || '' });
          return;
        }
        const error = new Error(body.error || 'wxacode: HTTP ' + res.statusCode);
        error.statusCode = res.statusCode;
        const header = res.header || {};
        const retry = header['Retry-After'] || header['retry-after'];
        if (retry) error.retryAfter = Number(retry);
        fail(error);
      },
      fail(err) {
        fail(new Error('wxacode: ' + ((err && err.errMsg) || 'request failed')));
      },
    });
  });
}

/** Goes where a resolve said: redirects to the page (a tab page through switchTab); empty stays. */
function go(result) {
  if (!result || !result.page) return;
  wx.redirectTo({
    url: '/' + result.path,
    fail() {
      // Tab pages cannot take a query: the parameters stay available through getApp() if needed.
      wx.switchTab({ url: '/' + result.page });
    },
  });
}

module.exports = { parseScene, isLivingScene, resolve, go, sceneOf };
