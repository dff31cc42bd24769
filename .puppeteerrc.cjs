/** whatsapp-web.js drives Debian's Chromium (/usr/bin/chromium); never download a browser at install. */
module.exports = { skipDownload: true };
