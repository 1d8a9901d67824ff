import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { normalizeWebhook, verifyWebhookSignature } from '@stagecraft/webhooks';
import type { CliIo } from './cli-io.js';
import { runCli } from './run-cli.js';

const SECRET = 'send-webhook-test';
const SHA = 'c'.repeat(40);

/**
 * `stagecraft send-webhook` against a stand-in for the ingress that checks the signature and
 * normalizes what arrives, as the ingress does.
 */
describe('stagecraft send-webhook: check_run and status', () => {
  let server: Server;
  let url: string;
  let dir: string;
  let received: Array<{ name: string; signed: boolean; payload: Record<string, unknown> }>;

  beforeEach(async () => {
    received = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const signed = await verifyWebhookSignature(SECRET, raw, req.headers['x-hub-signature-256'] as string | undefined);
        received.push({ name: String(req.headers['x-github-event']), signed, payload: JSON.parse(raw.toString()) });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":1}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
    dir = mkdtempSync(join(tmpdir(), 'stagecraft-send-webhook-'));
    writeFileSync(join(dir, 'stagecraft.yaml'), 'repositories:\n  - name: acme/app\n    compose:\n      requireChecks: [ci/build]\n');
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const send = async (...argv: string[]) => {
    const out: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => out.push(t), env: {}, cwd: dir, isTty: false };
    const code = await runCli(['send-webhook', ...argv, '--url', url, '--secret', SECRET, '--config', join(dir, 'stagecraft.yaml')], io);
    return { code, out: out.join('') };
  };
  const normalized = (i: number) => {
    const { name, payload } = received[i]!;
    const result = normalizeWebhook({ name, deliveryId: 'd', receivedAt: 1, payload, botName: 'stagecraft' });
    return 'event' in result ? result.event : result;
  };

  it('sends a signed check_run that says how the check ended on the commit', async () => {
    const { code, out } = await send('check_run', '--sha', SHA, '--name', 'ci/build', '--conclusion', 'success');
    expect(code).toBe(0);
    expect(out).toContain(`acme/app: check_run completed ci/build on ${SHA}: success\n`);
    expect(out).toMatch(/→ 202 Accepted/);
    expect(received).toEqual([expect.objectContaining({ name: 'check_run', signed: true })]);
    expect(normalized(0)).toMatchObject({ kind: 'checks', source: 'check_run', repo: 'acme/app', sha: SHA, checks: [{ type: 'run', name: 'ci/build', state: 'green' }] });
  });

  it('sends a signed commit status of the context on the commit', async () => {
    const { code, out } = await send('status', '--sha', SHA, '--name', 'ci/jenkins', '--state', 'failure');
    expect(code).toBe(0);
    expect(out).toContain(`acme/app: status ci/jenkins on ${SHA}: failure\n`);
    expect(normalized(0)).toMatchObject({ kind: 'checks', source: 'status', sha: SHA, checks: [{ type: 'status', name: 'ci/jenkins', state: 'failed' }] });
  });
});
