// Takes screenshots of a portal page the way a debtor sees it:
//   node screenshot.mjs URL OUT.png [width] [lang] [js] [then-path]
// (then-path: a page to visit after URL, e.g. /pay?mode=all once a link has opened the session)
// Used by people to look at pages (narrow phone, English, JavaScript off); not a test.
import { chromium } from '@playwright/test';

const [url, out, width = '390', lang = 'fr-FR', js = 'on', then = ''] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: Number(width), height: 800 }, locale: lang, javaScriptEnabled: js === 'on' });
const messages = [];
page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
await page.goto(url);
if (then) await page.goto(new URL(then, page.url()).toString());
if (js === 'on') await page.waitForSelector('body[data-hydrated]', { timeout: 15000 }).catch(() => messages.push('NOT HYDRATED'));
await page.screenshot({ path: out, fullPage: true });
console.log(`${page.url()}\n${messages.join('\n')}`);
await browser.close();
