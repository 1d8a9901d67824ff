import { createServer } from 'node:http';
import express from 'express';
import { verifyWebhookSignature, normalizeWebhook } from '@stagecraft/github';
const variant = process.argv[2];
const secret = process.env.BENCH_WEBHOOK_SECRET;
let app;
if (variant === 'full') {
  const { createIngressApp } = await import('./.tmp-dist/create-ingress-app.js');
  const { createLogger, createMetrics } = await import('/tmp/stubs/telemetry.mjs');
  app = createIngressApp({
    config: { github: { repository: 'acme/app', mainBranch: 'main', botName: 'stagecraft', webhookSecret: { reveal: () => secret, isSet: true } }, apps: { ingress: { bodyLimit: '1mb' } } },
    logger: createLogger({ app: 'x', level: 'warn' }), metrics: createMetrics('x'), enqueue: async () => {}, readiness: async () => ({ ok: true }),
  });
} else if (variant === 'express-manual') {
  app = express();
  app.post('/webhooks', (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { res.status(202).json({ queued: req.get('x-github-delivery') }); });
  });
} else if (variant === 'http-json') {
  app = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { res.statusCode = 202; res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ queued: req.headers['x-github-delivery'] })); });
  };
} else {
  app = express();
  app.post('/webhooks', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    if (variant !== 'raw') {
      if (!(await verifyWebhookSignature(secret, req.body, req.get('x-hub-signature-256')))) return res.status(401).json({});
    }
    if (variant === 'parse' || variant === 'normalize') {
      const payload = JSON.parse(req.body.toString('utf8'));
      if (variant === 'normalize') normalizeWebhook({ name: 'pull_request', deliveryId: req.get('x-github-delivery'), receivedAt: Date.now(), payload, botName: 'x', mainBranch: 'main' });
    }
    res.status(202).json({ queued: req.get('x-github-delivery') });
  });
}
let answered = 0, answeredAtMark = 0, cpuMark = process.cpuUsage();
const server = createServer(app);
server.on('request', (req, res) => res.on('finish', () => { answered++; }));
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (msg) => {
  if (msg === 'mark') { cpuMark = process.cpuUsage(); answeredAtMark = answered; process.send({}); }
  if (msg === 'finish') { const { user, system } = process.cpuUsage(cpuMark); process.send({ answeredSinceMark: answered - answeredAtMark, answered202: answered, cpu: (user + system) / 1e6, jobs: {}, batches: 0, batchedEvents: 0, rejected: [] }, () => process.exit(0)); }
});
