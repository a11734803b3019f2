// The landing page every living code opens (WXACODE_LANDING_PAGE, pages/index/index by default).
const wxacode = require('../../../wxacode.js');

Page({
  onLoad(options) {
    if (!wxacode.isLivingScene(options)) {
      // A direct code, or no code at all: its parameters are right here.
      this.setData({ params: wxacode.parseScene(options) });
      return;
    }
    let clientId = wx.getStorageSync('wxacode_client');
    if (!clientId) {
      clientId = Date.now().toString(36) + Math.random().toString(36).slice(2);
      wx.setStorageSync('wxacode_client', clientId);
    }
    wxacode
      .resolve(options, { base: 'https://codes.example.com', clientId })
      .then(wxacode.go)
      .catch(() => wx.showToast({ title: '活动已结束', icon: 'none' }));
  },
});
