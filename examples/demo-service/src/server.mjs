// The demo service Stagecraft deploys: an API with a work queue that can be drained.
import { createServer } from 'node:http';

const port = Number(process.env.DEMO_PORT ?? 4080);
const itemMs = Number(process.env.DEMO_ITEM_MS ?? 200);
const version = process.env.VERSION ?? 'dev';
const startedAt = new Date().toISOString();
let paused = false;
let pending = 0;
let processed = 0;
let working = false;

function work() {
  if (working || pending === 0) return;
  working = true;
  setTimeout(() => {
    pending--;
    processed++;
    working = false;
    work();
  }, itemMs);
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

const server = createServer(async (req, res) => {
  try {
    const route = `${req.method} ${req.url}`;
    switch (route) {
      case 'GET /healthz':
        return send(res, 200, { status: 'ok' });
      case 'GET /version':
        return send(res, 200, { version });
      case 'GET /status':
        return send(res, 200, { version, paused, pending, processed, startedAt });
      case 'POST /pause':
        paused = true;
        return send(res, 200, { paused, pending });
      case 'POST /resume':
        paused = false;
        return send(res, 200, { paused, pending });
      case 'POST /work': {
        if (paused) return send(res, 503, { error: 'paused: draining for a deploy' });
        const { items = 1 } = await readJson(req);
        pending += Number(items);
        work();
        return send(res, 202, { pending });
      }
      default:
        return send(res, 404, { error: `no route ${route}` });
    }
  } catch (err) {
    send(res, 400, { error: err.message });
  }
});

server.listen(port, '127.0.0.1', () => console.log(`demo service ${version} listening on 127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
