// GraphiQL in a real browser (Debian's chromium): it loads with no outside network,
// shows the pre-filled token, and runs the default query against this gateway.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromium } from 'playwright-core';
import { TestApp } from './helpers/app.ts';

const CHROMIUM = '/usr/bin/chromium';

describe.skipIf(!fs.existsSync(CHROMIUM) && !process.env.CI)('GraphiQL in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<TestApp['listen']>>;
  let browser: Browser;

  beforeAll(async () => {
    t = await TestApp.create({ prefillGraphiQL: true });
    server = await t.listen();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  it('runs the default query with the pre-filled token, loading nothing from outside', async () => {
    // given
    const page = await browser.newPage();
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      outside.push(url.href);
      return route.abort();
    });

    // when
    await page.goto(`${server.url}/graphql`);
    await page.locator('.graphiql-execute-button').click();

    // then
    const result = page.locator('.result-window');
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toContain('"role": "OWNER"');
    expect(await result.textContent()).toContain('"totalCount": 0');
    expect(outside).toEqual([]);
    await page.screenshot({ path: 'test/generated/graphiql.png' });
  });
});
