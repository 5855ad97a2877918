// Drives the marketer console in headless Chromium as a person would: signs in with a token,
// creates a campaign (meeting the live rule check's error first), previews a template for a
// customer, opens the uplift and learning pages, looks a customer up and erases them. Every page is
// saved as a screenshot (desktop 1280×800 and phone 390×844) and checked with axe-core.
// Prints one JSON line with what it saw; the Java integration test asserts on it.
//   node console.test.mjs <console URL> <admin token> <customer id> <template id> <screenshot dir>
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';

const [base, token, customer, templateId, shots] = process.argv.slice(2);
if (!base || !token || !customer || !templateId || !shots) {
  console.error(
    'usage: node console.test.mjs <console URL> <admin token> <customer id> <template id> <screenshot dir>',
  );
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const seen = { pages: {}, errors: [] };
const fail = async (message) => {
  console.error(message);
  console.log(JSON.stringify({ ...seen, failed: message }));
  await browser.close();
  process.exit(1);
};

// axe-core is injected by the test (bypassCSP: the console's own CSP allows scripts from itself
// only, which is what the pages need and the injected checker is not)
const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
const page = await desktop.newPage();
page.on('pageerror', (e) => seen.errors.push(String(e)));
page.on('console', (m) => {
  if (m.type() === 'error') seen.errors.push(m.text());
});

/** Screenshot, axe-core's serious and critical violations, and whether the page scrolls sideways. */
async function check(name, target = page) {
  await target.waitForLoadState('networkidle');
  await target.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  await target.addScriptTag({ path: axeSource });
  const result = await target.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.html) }));
  });
  const overflow = await target.evaluate(
    () => document.documentElement.scrollWidth > window.innerWidth + 1,
  );
  seen.pages[name] = { url: target.url(), violations: result, sidewaysScroll: overflow };
}

try {
  // signing in: the token goes into an HttpOnly cookie, the pages open
  await page.goto(`${base}/overview`);
  seen.redirectedToSignIn = page.url().includes('/sign-in');
  await check('sign-in');
  await page.fill('#token', token);
  await page.click('form[action="/sign-in"] button[type=submit]');
  await page.waitForLoadState('networkidle');
  seen.signedIn = !page.url().includes('/sign-in');
  const cookies = await desktop.cookies();
  const session = cookies.find((c) => c.name === 'nextbest_session');
  seen.sessionCookie = session ? { httpOnly: session.httpOnly, sameSite: session.sameSite } : null;

  // the keyboard reaches the skip link first, then the navigation
  await page.keyboard.press('Tab');
  seen.firstTab = await page.evaluate(() => document.activeElement && document.activeElement.textContent.trim());

  // a new campaign: a broken rule shows its error at its position, then a valid one saves
  const campaign = `console-e2e-${Date.now()}`;
  await page.goto(`${base}/campaigns/new`);
  await page.fill('#id', campaign);
  await page.fill('#name', 'Tea lovers <b>welcome</b>');
  await page.check('input[name=ch_email]');
  await page.fill('#rule', 'profile.attributes.name == ');
  // the check runs as the person types: wait for the answer to the whole rule
  await page.waitForSelector('#check pre.caret', { timeout: 15000 });
  seen.validationError = (await page.textContent('#check')).replace(/\s+/g, ' ').trim();
  seen.caret = (await page.textContent('#check pre.caret')).includes('^');
  await check('campaign-validation');
  await page.fill('#rule', 'true');
  await page.waitForSelector('#check .ok', { timeout: 15000 });
  await page.click('button:has-text("Dry run")');
  await page.waitForFunction(() => document.querySelector('#dry-run').textContent.trim().length > 0, null, {
    timeout: 15000,
  });
  seen.dryRun = (await page.textContent('#dry-run')).replace(/\s+/g, ' ').trim();
  await check('campaign-dry-run');
  await page.click('form.campaign-form button[type=submit]');
  await page.waitForLoadState('networkidle');
  seen.campaignSaved = { url: page.url(), title: await page.textContent('h1') };
  await check('campaign');
  await page.goto(`${base}/campaigns`);
  seen.campaignListed = (await page.content()).includes(campaign);
  await check('campaigns');

  // content: the template list, then a preview rendered for the customer
  await page.goto(`${base}/content`);
  await check('content');
  await page.goto(`${base}/content/${templateId}`);
  // the preview form answers in place (htmx): the template rendered for the customer in a
  // sandboxed frame, nothing logged
  await page.fill('#customerId', customer);
  await page.click('section[aria-labelledby=preview-h] button[type=submit]');
  await page.waitForSelector('#preview iframe, #preview .problem', { timeout: 15000 });
  const framed = (await page.locator('#preview iframe').count()) > 0;
  seen.preview = {
    status: (await page.textContent('#preview p')).replace(/\s+/g, ' ').trim(),
    frame: framed
      ? (await page.frameLocator('#preview iframe').locator('body').textContent())
          .replace(/\s+/g, ' ')
          .trim()
      : null,
    sandbox: framed ? await page.locator('#preview iframe').getAttribute('sandbox') : null,
  };
  await check('template');

  // the reports, once decisions and outcomes have flowed
  for (const name of ['overview', 'learning', 'segments']) {
    await page.goto(`${base}/${name}`);
    await check(name);
  }
  seen.overviewCharts = await page
    .goto(`${base}/overview`)
    .then(() => page.waitForTimeout(500))
    .then(() => page.locator('.uplot').count());
  seen.learningText = await page
    .goto(`${base}/learning`)
    .then(() => page.textContent('main'))
    .then((t) => t.replace(/\s+/g, ' ').trim().slice(0, 4000));

  // a customer looked up, then erased (admin) after typing their id again
  await page.goto(`${base}/customers`);
  await check('customers');
  await page.fill('#cid', customer);
  await page.click('form[role=search] button[type=submit]');
  await page.waitForLoadState('networkidle');
  seen.customerUrl = page.url();
  seen.customerText = (await page.textContent('main')).replace(/\s+/g, ' ').trim().slice(0, 4000);
  await check('customer');
  await page.click('a:has-text("Erase")');
  await page.waitForLoadState('networkidle');
  await check('customer-erase');
  await page.fill('#confirm', customer);
  await page.click('button:has-text("Erase for good")');
  await page.waitForLoadState('networkidle');
  seen.erasedText = (await page.textContent('main')).replace(/\s+/g, ' ').trim().slice(0, 1000);
  await check('customer-erased');

  // the same pages on a phone-sized screen
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    bypassCSP: true,
  });
  await phone.addCookies(cookies.filter((c) => c.name.startsWith('nextbest_')));
  const small = await phone.newPage();
  for (const name of ['overview', 'campaigns', 'content', 'segments', 'learning', 'customers']) {
    await small.goto(`${base}/${name}`);
    await check(`phone-${name}`, small);
  }
  await phone.close();
} catch (e) {
  await fail(`console browser test failed: ${e && e.stack ? e.stack : e}`);
}
await browser.close();
console.log(JSON.stringify(seen));
