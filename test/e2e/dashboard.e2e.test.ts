/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT, startStack, waitUntil, type Stack } from '../support/stack.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts', 'dashboard');

const pushToMain = (after = randomBytes(20).toString('hex')) => ({ branch: 'main', sha: after, paths: ['examples/demo-service/src/server.mjs'] });

describe('the dashboard in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const dashboard = () => stack.urlOf('dashboard');
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`the dashboard's browser test needs Chromium at ${CHROMIUM}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    // Deploys take a few seconds, so a cycle is still running when the browser looks; the token
    // logs in as a maintainer, so the dashboard's actions are allowed.
    stack = await startStack({ env: { DEMO_DEPLOY_MS: '5000', STAGECRAFT_APPS__DASHBOARD__TOKEN_USER: 'Codertocat' } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (process.env['E2E_SHOW_LOGS']) console.log(stack?.logs());
    await stack?.stop();
  }, 30_000);

  it('logs in, shows the running cycle and the next one, opens Bull Board, and runs a new cycle from "deploy now"', async () => {
    await stack.sendWebhook('push', pushToMain());
    await stack.waitForCycles('a running cycle', (c) => c.some((x) => x.state === 'running'));
    // A change while the cycle runs is the next scheduled cycle.
    await stack.sendWebhook('push', pushToMain());

    await page.goto(`${dashboard()}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot('1-login');
    await page.fill('input[name=token]', 'wrong');
    await page.click('button');
    await expect(page.textContent('body')).resolves.toContain('That token is not valid.');
    await page.fill('input[name=token]', stack.token);
    await page.click('button');
    await page.waitForSelector('[data-testid=running-cycle]');
    expect(await page.textContent('[data-testid=running-cycle]')).toMatch(/staging-1/);
    await page.waitForFunction(() => /staging-2/.test(document.querySelector('[data-testid=next-cycle]')?.textContent ?? ''));
    expect(await page.textContent('[data-testid=next-cycle]')).toMatch(/after staging-1 finishes/);
    await shot('2-running-and-next');

    await page.goto(`${dashboard()}/queues`);
    await page.waitForFunction(() => document.body.innerText.includes('stage-deploy'), null, { timeout: 15_000 });
    await shot('3-bull-board');

    await page.goto(`${dashboard()}/`);
    const before = (await stack.cycles()).length;
    await page.click('[data-testid=deploy-now]');
    await page.waitForURL(`${dashboard()}/`);
    const cycles = await stack.waitForCycles(
      'the cycle "deploy now" asked for',
      (c) => c.some((x) => x.trigger === 'deploy-command' && x.requestedBy === 'Codertocat' && x.state === 'succeeded'),
      60_000,
    );
    expect(cycles.length).toBeGreaterThan(before);
    // The page follows by itself (server-sent events), no reload.
    const id = cycles.find((x) => x.trigger === 'deploy-command')!.id as string;
    await page.waitForFunction((cycleId) => document.querySelector('main')?.textContent?.includes(cycleId) ?? false, id, { timeout: 20_000 });
    expect(await page.textContent('main')).toContain('deploy now (partial)');
    await shot('4-after-deploy-now');
    await waitUntil('nothing running', async () => ((await stack.cycles()).every((c) => c.state !== 'running') ? true : null), 60_000);
  }, 150_000);
});
