// Loads the demo storefront in headless Chromium as an anonymous visitor, identifies as a given
// customer (the SDK merges the anonymous id into the customer), checks what each placement
// rendered, clicks the hero's call to action and waits until the SDK has reported the click.
// Prints one JSON line with what it saw; the Java integration test checks the outcome downstream.
//   node demo.test.mjs <content-service URL> <customer id> [expected hero headline] [anonymous id]
// The anonymous id, when given, is the one the SDK keeps for the visitor (as if an earlier visit
// had made it), so the test can give it a history first.
import { chromium } from 'playwright-core';

const [base, customer, expected, seededAnonymousId] = process.argv.slice(2);
if (!base || !customer) {
  console.error(
    'usage: node demo.test.mjs <content-service URL> <customer id> [expected headline] [anonymous id]',
  );
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const fail = async (message) => {
  console.error(message);
  await browser.close();
  process.exit(1);
};
try {
  const context = await browser.newContext();
  if (seededAnonymousId) {
    // once per tab: a merged id the SDK dropped must not come back on a later navigation
    await context.addInitScript((id) => {
      if (!sessionStorage.getItem('seeded')) {
        localStorage.setItem('nextbest.anonymousId', id);
        sessionStorage.setItem('seeded', '1');
      }
    }, seededAnonymousId);
  }
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // an anonymous visit first: the SDK keeps an anonymous id and fills every slot
  await page.goto(`${base}/demo/`);
  await page.waitForSelector('#cart[data-nextbest-variant]', { timeout: 15000 });
  const anonymousId = await page.evaluate(() => window.NextBest.anonymousId());
  // a first decision may miss the placement's budget (the default shows): refresh until it shows
  const heroShows = async (text) => {
    const until = Date.now() + 30000;
    while ((await page.textContent('#hero h2')) !== text) {
      if (Date.now() > until) {
        await fail(`the hero never showed "${text}": ${await page.innerHTML('#hero')}`);
      }
      await page.waitForTimeout(500);
      await page.evaluate(() => window.NextBest.refresh());
    }
  };
  await heroShows('Welcome, friend!');
  const anonymousHero = await page.textContent('#hero h2');

  // identify as the customer: the anonymous id joins them, the slots are filled again for them
  const identified = await page.evaluate(
    (id) =>
      new Promise((resolve) => {
        document.addEventListener('nextbest:identify', (e) => resolve(e.detail), { once: true });
        window.NextBest.identify(id);
      }),
    customer,
  );
  if (!identified.merged) {
    await fail(`identify() did not merge the anonymous id: ${JSON.stringify(identified)}`);
  }
  if (expected) {
    await heroShows(expected); // the profile may still be on its way to the cache
  }
  const hero = await page.$eval('#hero', (el) => ({
    headline: el.querySelector('h2')?.textContent,
    decisionId: el.getAttribute('data-nextbest-decision'),
    campaignId: el.getAttribute('data-nextbest-campaign'),
    variantId: el.getAttribute('data-nextbest-variant'),
  }));
  const banner = await page.textContent('#banner h2');
  const cart = await page.textContent('#cart h2');
  if (!hero.decisionId) {
    await fail(`the hero has no decision: ${JSON.stringify(hero)}`);
  }
  await page.click('#hero .nb-cta');
  await page.waitForSelector('#hero[data-nextbest-clicked="sent"]', { timeout: 15000 });
  if (errors.length) {
    await fail(`page errors: ${errors.join('; ')}`);
  }
  console.log(
    JSON.stringify({
      anonymousId,
      anonymousHero,
      identified,
      hero,
      banner,
      cart,
      customer: await page.evaluate(() => window.NextBest.customerId()),
      // a merged anonymous id is dropped: a later anonymous visitor here gets a new one
      nextAnonymousId: await page.evaluate(() => window.NextBest.anonymousId()),
    }),
  );
} finally {
  await browser.close();
}
