// whatsapp-web.js drives Debian's chromium (CHROMIUM_PATH); puppeteer must not download its own.
module.exports = { skipDownload: true };
