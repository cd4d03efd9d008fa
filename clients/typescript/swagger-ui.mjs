// Swagger UI at /docs, as a developer opens it: Debian's Chromium, driven
// by playwright-core. Passes when every operation of the spec is rendered,
// one can be expanded, and the page logged no error (a Content-Security-
// Policy that blocked Swagger UI's own scripts or styles would show here).
//
// Environment: HUB_URL, CHROMIUM (default /usr/bin/chromium), SCREENSHOT (optional PNG path).
import { chromium } from 'playwright-core';

const base = process.env.HUB_URL;
if (!base) throw new Error('HUB_URL is not set');
const spec = await (await fetch(`${base}/api-docs/openapi.json`)).json();
const expected = Object.values(spec.paths).flatMap((item) =>
  ['get', 'put', 'post', 'patch', 'delete'].filter((m) => item[m]),
).length;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
const errors = [];
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  const answer = await page.goto(`${base}/docs`, { waitUntil: 'networkidle' });
  if (!answer || !answer.ok()) throw new Error(`/docs answered ${answer && answer.status()}`);
  await page.waitForSelector('.opblock', { timeout: 15000 });
  const rendered = await page.locator('.opblock').count();
  const title = (await page.locator('.info .title').first().textContent()) || '';
  await page.locator('.opblock-summary').first().click();
  await page.waitForSelector('.opblock.is-open', { timeout: 5000 });
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: false });
  console.log(`swagger-ui: "${title.trim()}", ${rendered} of ${expected} operations rendered, ${errors.length} page errors`);
  if (rendered !== expected) throw new Error(`rendered ${rendered} operations, the spec has ${expected}`);
  if (errors.length > 0) throw new Error(`the page logged errors: ${errors.join(' | ')}`);
} finally {
  await browser.close();
}
