// Several gateways, one state (README "Running several gateways"): a real PostgreSQL 15 server
// (tests/support/pg-server.sh: Debian's initdb/pg_ctl, an unprivileged account, a temporary
// directory, a free loopback port) shared by three headless gateways, with Debian's nginx as a
// round-robin balancer in front of them, no sticky sessions. Each gateway has a fake upstream of
// its own, so a test knows which instance served a turn and what it sent upstream. Over the
// balancer: a 10-turn conversation with the openai SDK, a previous_response_id chain, a gateway
// killed with SIGKILL mid-stream, the database stopped and started under traffic; and a lockout
// earned on one gateway refused on the others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { request } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startGateway, TOKEN } from './gateway.mjs';

const PG_SCRIPT = join(process.env.PASSERELLE_TESTS_DIR, 'support', 'pg-server.sh');
const PG_PASSWORD = 'several-gateways-pg-secret';
const PASSWORD_ENV = 'PASSERELLE_PG_PASSWORD';
const SCHEMA_STEPS = 4; // server/store/SchemaSteps.cpp

const deadline = async (what, ms, probe) => {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setImmediate(r));
  }
};

const freePort = () => new Promise((resolve) => {
  const s = createTcpServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

// --- PostgreSQL, as the project's script starts it ---
const pg = { dir: null, port: 0 };
const pgScript = (...args) => execFileSync('bash', [PG_SCRIPT, ...args], {
  env: { ...process.env, PG_TEST_PASSWORD: PG_PASSWORD }, encoding: 'utf8',
}).trim();
const pgStart = () => pgScript('start', pg.dir, String(pg.port));
const pgStop = () => pgScript('stop', pg.dir);
const sql = (statement) => pgScript('sql', pg.dir, String(pg.port), 'passerelle', statement);

// --- one fake upstream per gateway: records what it was sent; "slow" streams for seconds ---
async function startUpstream(name) {
  const seen = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const json = JSON.parse(body || '{}');
      seen.push(json);
      const messages = json.messages ?? [];
      const last = messages[messages.length - 1] ?? {};
      const text = String(last.content ?? '');
      const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: json.model };
      const chunk = (delta, finish = null) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(chunk({ role: 'assistant', content: `${name} heard: ` }));
      if (text.includes('slow')) {
        // Pieces every 100 ms for 30 s: long enough to kill the gateway in the middle.
        let n = 0;
        const timer = setInterval(() => {
          if (res.destroyed || ++n > 300) { clearInterval(timer); res.end(); return; }
          res.write(chunk({ content: `piece${n} ` }));
        }, 100);
        res.on('close', () => clearInterval(timer));
        return;
      }
      res.write(chunk({ content: text }));
      res.write(chunk({}, 'stop'));
      res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { name, seen, baseURL: `http://127.0.0.1:${server.address().port}/v1`, server };
}

// --- the gateways ---
const upstreams = [];
const gateways = [];
const storeConfig = () => `passerelle: { store: { kind: 'postgres', host: '127.0.0.1', port: ${pg.port},
  database: 'passerelle', user: 'passerelle', passwordEnv: '${PASSWORD_ENV}', sslmode: 'disable', poolSize: 3 } },`;
const launch = (i) => startGateway(`
  ${storeConfig()}
  agents: { list: [{ id: 'main', default: true, model: 'up/fake' }] },
  models: { providers: { up: { api: 'openai-completions', baseUrl: '${upstreams[i].baseURL}', models: [{ id: 'fake' }] } } },`,
{ auth: 'rateLimit: { maxAttempts: 3, windowMs: 60000, lockoutMs: 120000, exemptLoopback: false },',
  env: { [PASSWORD_ENV]: PG_PASSWORD } });
// Which gateway served a request: the one whose upstream saw it.
const servedBy = (before) => upstreams.findIndex((u, i) => u.seen.length > before[i]);
const counts = () => upstreams.map((u) => u.seen.length);

// --- nginx, round robin over the gateways ---
const nginx = { dir: null, port: 0, child: null };
async function startNginx() {
  nginx.dir = mkdtempSync(join(tmpdir(), 'passerelle-nginx-'));
  nginx.port = await freePort();
  const servers = gateways.map((g) => `    server 127.0.0.1:${g.port} max_fails=1 fail_timeout=30s;`).join('\n');
  writeFileSync(join(nginx.dir, 'nginx.conf'), `
pid ${nginx.dir}/nginx.pid;
error_log ${nginx.dir}/error.log warn;
worker_processes 1;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${nginx.dir}/body;
  proxy_temp_path ${nginx.dir}/proxy;
  fastcgi_temp_path ${nginx.dir}/fastcgi;
  uwsgi_temp_path ${nginx.dir}/uwsgi;
  scgi_temp_path ${nginx.dir}/scgi;
  upstream passerelle {
${servers}
  }
  server {
    listen 127.0.0.1:${nginx.port};
    location / {
      proxy_pass http://passerelle;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host localhost;
      proxy_buffering off;
      proxy_read_timeout 1h;
    }
  }
}
`);
  chmodSync(nginx.dir, 0o755);
  nginx.child = spawn('nginx', ['-p', nginx.dir, '-c', join(nginx.dir, 'nginx.conf'), '-g', 'daemon off;'],
    { stdio: ['ignore', 'inherit', 'inherit'] });
  await deadline('nginx listening', 15000, () => fetch(`http://127.0.0.1:${nginx.port}/health`)
    .then((r) => r.ok).catch(() => false));
}

const client = (options = {}) => new OpenAI({
  apiKey: TOKEN, baseURL: `http://127.0.0.1:${nginx.port}/v1`, maxRetries: 0, ...options,
});

// A raw request from a given loopback address (the limiter counts per address).
const rawRequest = (port, localAddress, token, body = '{"model":"openclaw","messages":[{"role":"user","content":"hi"}]}') =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, localAddress, method: 'POST', path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', host: 'localhost' } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });

const started = Date.now();

before(async () => {
  pg.dir = mkdtempSync(join(tmpdir(), 'passerelle-pg-'));
  pg.port = await freePort();
  pgStart();
  pgScript('sql', pg.dir, String(pg.port), 'postgres', 'CREATE DATABASE passerelle');
  for (let i = 0; i < 3; ++i) upstreams.push(await startUpstream(`gw${i}`));
  // Two gateways start at the same moment on the empty database; the third after them.
  gateways.push(...await Promise.all([launch(0), launch(1)]));
  gateways.push(await launch(2));
  await startNginx();
});

after(async () => {
  nginx.child?.kill('SIGTERM');
  await Promise.all(gateways.map((g) => g.stop()));
  for (const u of upstreams) u.server.close();
  try { pgStop(); } catch { /* already stopped */ }
  console.log(`several gateways: ${Date.now() - started} ms in all`);
});

test('two gateways starting at once on an empty database run each migration once', async () => {
  const rows = sql('SELECT version FROM passerelle_schema ORDER BY version').split('\n');
  assert.deepEqual(rows, Array.from({ length: SCHEMA_STEPS }, (_, i) => String(i + 1)));
  const applied = (g) => (g.log.text.match(/schema step \d+/g) ?? []);
  // The rows are there; the gateways' log lines of them may still be on their way.
  await deadline('migration log lines', 5000, () =>
    applied(gateways[0]).length + applied(gateways[1]).length >= SCHEMA_STEPS);
  const steps = [...applied(gateways[0]), ...applied(gateways[1])].sort();
  assert.deepEqual(steps, Array.from({ length: SCHEMA_STEPS }, (_, i) => `schema step ${i + 1}`));
  assert.deepEqual(applied(gateways[2]), []);
  // Both are usable: a stateful turn through each, directly.
  for (const g of gateways.slice(0, 2)) {
    const r = await rawRequest(g.port, '127.0.0.1', TOKEN,
      JSON.stringify({ model: 'openclaw', user: `probe-${g.port}`, messages: [{ role: 'user', content: 'ping' }] }));
    assert.equal(r.status, 200, r.body);
  }
});

test('a 10-turn conversation goes round the gateways, each turn sent with all the earlier ones', async () => {
  const openai = client();
  const messages = [];
  let previous = -1;
  for (let turn = 1; turn <= 10; ++turn) {
    const before = counts();
    const content = `turn ${turn}`;
    const completion = await openai.chat.completions.create({
      model: 'openclaw', user: 'ten-turns', messages: [{ role: 'user', content }],
    });
    const by = servedBy(before);
    assert.notEqual(by, -1);
    assert.notEqual(by, previous, `turn ${turn} served by the same gateway as turn ${turn - 1}`);
    previous = by;
    assert.equal(completion.choices[0].message.content, `gw${by} heard: ${content}`);
    const sent = upstreams[by].seen.at(-1).messages.filter((m) => m.role !== 'system');
    assert.deepEqual(sent, [...messages, { role: 'user', content }]);
    messages.push({ role: 'user', content }, { role: 'assistant', content: completion.choices[0].message.content });
  }
});

test('a previous_response_id chain continues across gateways', async () => {
  const openai = client();
  let previousId = null;
  const turns = [];
  const served = [];
  for (let i = 1; i <= 4; ++i) {
    const before = counts();
    const input = `chain ${i}`;
    const response = await openai.responses.create({
      model: 'openclaw', input, ...(previousId ? { previous_response_id: previousId } : {}),
    });
    const by = servedBy(before);
    served.push(by);
    assert.equal(response.output_text, `gw${by} heard: ${input}`);
    const sent = upstreams[by].seen.at(-1).messages.filter((m) => m.role !== 'system');
    assert.deepEqual(sent, [...turns, { role: 'user', content: input }]);
    turns.push({ role: 'user', content: input }, { role: 'assistant', content: response.output_text });
    previousId = response.id;
  }
  assert.ok(new Set(served).size >= 3, `served by ${served}`);
  // Retrieval works on any gateway.
  for (const g of gateways) {
    const r = await fetch(`http://127.0.0.1:${g.port}/v1/responses/${previousId}`,
      { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 200);
    assert.equal((await r.json()).id, previousId);
  }
});

test('a lockout earned on one gateway is refused on the others', async () => {
  const attacker = '127.0.0.7';
  for (let i = 0; i < 3; ++i)
    assert.equal((await rawRequest(gateways[0].port, attacker, 'wrong-secret')).status, 401);
  assert.equal((await rawRequest(gateways[0].port, attacker, TOKEN)).status, 429);
  // The others hear of it through the database (asynchronously: measured, never slept on).
  const t0 = Date.now();
  for (const g of gateways.slice(1)) {
    const refused = await deadline('lockout on another gateway', 5000, async () => {
      const r = await rawRequest(g.port, attacker, TOKEN);
      return r.status === 429 ? r : null;
    });
    assert.ok(Number(refused.headers['retry-after']) > 100);
    assert.equal(JSON.parse(refused.body).error.type, 'rate_limited');
  }
  console.log(`lockout held on the other gateways ${Date.now() - t0} ms after it was earned`);
  // Failures spread over the gateways count together: one on each, and the address is out.
  const spread = '127.0.0.8';
  for (const g of gateways)
    assert.equal((await rawRequest(g.port, spread, 'wrong-secret')).status, 401);
  // Each failure is counted in the database after its 401 went out: the lockout is there once
  // the last one is. (Probing with the right secret before that would be a success, which starts
  // the count again.)
  await deadline('spread lockout in the database', 5000, async () =>
    sql(`SELECT count(*) FROM auth_failures WHERE ip = '${spread}' AND locked_until > 0`) === '1');
  for (const g of gateways)
    await deadline('spread lockout', 5000, async () => (await rawRequest(g.port, spread, TOKEN)).status === 429);
  // Everyone else is served.
  assert.equal((await rawRequest(gateways[1].port, '127.0.0.1', TOKEN)).status, 200);
});

test('a gateway killed mid-stream: the others keep serving and the conversation goes on', async () => {
  const openai = client({ maxRetries: 2 });
  const user = 'survivor';
  const first = await openai.chat.completions.create({ model: 'openclaw', user, messages: [{ role: 'user', content: 'before' }] });
  const before = counts();
  const stream = await openai.chat.completions.create({
    model: 'openclaw', user, stream: true, messages: [{ role: 'user', content: 'slow please' }],
  });
  const iterator = stream[Symbol.asyncIterator]();
  let got = '';
  while (!got.includes('piece2')) got += (await iterator.next()).value?.choices?.[0]?.delta?.content ?? '';
  const victim = servedBy(before);
  gateways[victim].child.kill('SIGKILL');
  // The stream breaks: an error, or an end without the finish chunk.
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await iterator.next();
      if (done) break;
      if (value?.choices?.[0]?.finish_reason) finished = true;
    }
  } catch { /* cut */ }
  assert.equal(finished, false, 'the stream finished although its gateway was killed');
  // The next turns go to the living gateways (nginx skips the dead one); the killed turn was
  // never stored, the one before it was.
  for (let i = 1; i <= 3; ++i) {
    const b = counts();
    const c = await openai.chat.completions.create({ model: 'openclaw', user, messages: [{ role: 'user', content: `after ${i}` }] });
    const by = servedBy(b);
    assert.notEqual(by, victim);
    const sent = upstreams[by].seen.at(-1).messages.filter((m) => m.role !== 'system');
    assert.deepEqual(sent.slice(0, 2), [{ role: 'user', content: 'before' }, { role: 'assistant', content: first.choices[0].message.content }]);
    assert.ok(!sent.some((m) => String(m.content).includes('slow please')));
    assert.equal(c.choices[0].message.content, `gw${by} heard: after ${i}`);
  }
  gateways[victim] = await launch(victim); // back for the next test, on a new port
  // nginx's upstream list names the old port: restart it over the new one.
  nginx.child.kill('SIGTERM');
  await new Promise((r) => nginx.child.on('exit', r));
  await startNginx();
});

test('the database stopped and started under traffic: 503 for stateful runs, stateless ones served, then recovery', async () => {
  const openai = client();
  const user = 'outage';
  await openai.chat.completions.create({ model: 'openclaw', user, messages: [{ role: 'user', content: 'kept' }] });
  const outcomes = new Map();
  let running = true;
  const note = (k) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  const traffic = (async () => {
    while (running) {
      const stateless = await openai.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'no state' }] })
        .then(() => 'stateless 200', (e) => `stateless ${e.status} ${e.message}`);
      note(stateless);
      const stateful = await openai.chat.completions.create({ model: 'openclaw', user: 'traffic', messages: [{ role: 'user', content: 'state' }] })
        .then(() => 'stateful 200', (e) => `stateful ${e.status} ${e.error?.message}`);
      note(stateful);
    }
  })();
  await deadline('traffic flowing', 10000, () => outcomes.get('stateful 200') > 2);
  pgStop();
  // Documented errors while it is down, on every gateway.
  const err = await deadline('503 while the database is down', 10000, () => openai.chat.completions
    .create({ model: 'openclaw', user, messages: [{ role: 'user', content: 'lost?' }] })
    .then(() => null, (e) => e));
  assert.equal(err.status, 503);
  assert.deepEqual(err.error, { message: 'session store unavailable', type: 'api_error' });
  for (const g of gateways) {
    const r = await rawRequest(g.port, '127.0.0.1', TOKEN, JSON.stringify({ model: 'openclaw', user, messages: [{ role: 'user', content: 'x' }] }));
    assert.equal(r.status, 503, r.body);
    assert.equal(r.body, '{"error":{"message":"session store unavailable","type":"api_error"}}');
    const stateless = await rawRequest(g.port, '127.0.0.1', TOKEN);
    assert.equal(stateless.status, 200);
  }
  const downAt = Date.now();
  pgStart();
  // Back without restarting any gateway.
  await deadline('stateful runs recover', 20000, () => openai.chat.completions
    .create({ model: 'openclaw', user, messages: [{ role: 'user', content: 'back' }] })
    .then(() => true, () => false));
  console.log(`stateful runs served again ${Date.now() - downAt} ms after the database restarted`);
  // Each gateway reconnects on its own timer: every one of them, directly.
  for (const g of gateways) {
    await deadline('every gateway recovers', 20000, async () => (await rawRequest(g.port, '127.0.0.1', TOKEN,
      JSON.stringify({ model: 'openclaw', user: 'probe', messages: [{ role: 'user', content: 'up?' }] }))).status === 200);
  }
  console.log(`every gateway served stateful runs again ${Date.now() - downAt} ms after the database restarted`);
  running = false;
  await traffic;
  const kinds = [...outcomes.keys()];
  assert.ok(kinds.every((k) => ['stateless 200', 'stateful 200', 'stateful 503 session store unavailable'].includes(k)),
    `unexpected outcomes: ${JSON.stringify([...outcomes])}`);
  assert.ok(outcomes.get('stateful 503 session store unavailable') > 0);
  // The conversation from before the outage is whole.
  const b = counts();
  await openai.chat.completions.create({ model: 'openclaw', user, messages: [{ role: 'user', content: 'and now' }] });
  const sent = upstreams[servedBy(b)].seen.at(-1).messages.filter((m) => m.role !== 'system').map((m) => m.content);
  assert.equal(sent[0], 'kept');
  assert.equal(sent.at(-1), 'and now');
  for (const g of gateways) {
    const r = await rawRequest(g.port, '127.0.0.1', TOKEN, JSON.stringify({ model: 'openclaw', user, messages: [{ role: 'user', content: 'y' }] }));
    assert.equal(r.status, 200, r.body);
  }
});
