// The `openclaw-node` client (npm, 0.14) against the built binary, as an OpenClaw integration would
// talk to the gateway's WebSocket protocol on the same port as HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { OpenClawClient } from 'openclaw-node';
import { startGateway, TOKEN } from './gateway.mjs';

// openclaw-node uses the global WebSocket (and its OPEN constant): Node 22+ has one; else ws's.
if (typeof globalThis.WebSocket === 'undefined') globalThis.WebSocket = WebSocket;

const words = (n) => Array.from({ length: n }, (_, i) => `w${i + 1}`).join(' ');

let gw;
let client;
const errors = [];

function newClient(token) {
  const c = new OpenClawClient({
    url: `ws://127.0.0.1:${gw.port}`,
    token,
    autoReconnect: false,
    // The device identity file goes to a scratch directory, not the user's home.
    deviceIdentityPath: join(mkdtempSync(join(tmpdir(), 'openclaw-node-')), 'device.json'),
  });
  c.on('error', (err) => errors.push(err));
  return c;
}

before(async () => {
  gw = await startGateway(`
    agents: { list: [ { id: 'main', default: true, model: 'echo/echo' },
                      { id: 'slow', name: 'Slow', model: 'slow/echo' } ] },
    models: { providers: { slow: { api: 'echo', chunkDelayMs: 50 } } },
  `);
  client = newClient(TOKEN);
});

after(async () => {
  await client?.disconnect();
  const code = await gw.stop();
  assert.equal(code, 0, 'clean exit on SIGTERM');
});

test('connects with the token', async () => {
  const hello = await client.connect();
  assert.equal(hello.type, 'hello-ok');
  assert.equal(hello.protocol, 4);
  assert.equal(hello.policy.tickIntervalMs, 15000);
  assert.equal(client.isConnected, true);
  for (const m of ['health', 'status', 'agents.list', 'sessions.list', 'chat.history', 'agent', 'chat.send', 'chat.abort'])
    assert.ok(client.hasMethod(m), m);
  const health = await client.health();
  assert.equal(health.ok, true);
});

test('lists agents', async () => {
  const list = await client.agents.list();
  assert.equal(list.defaultId, 'main');
  assert.deepEqual(list.agents.map((a) => a.id), ['main', 'slow']);
  assert.equal(list.agents[1].name, 'Slow');
});

test('streams a chat reply from the echo agent', async () => {
  const chunks = [];
  for await (const chunk of client.chat('stream these words', { agentId: 'main' })) chunks.push(chunk);
  assert.deepEqual(chunks.map((c) => c.type), ['agent_start', 'text', 'text', 'text', 'agent_end', 'done']);
  assert.deepEqual(chunks.filter((c) => c.type === 'text').map((c) => c.text), ['stream ', 'these ', 'words']);
  assert.equal(new Set(chunks.map((c) => c.runId)).size, 1);
  assert.equal(await client.chatSync('and once more'), 'and once more');
});

test('aborts a running chat', async () => {
  const key = 'agent:slow:node-abort';
  const started = Date.now();
  let text = '';
  let aborted;
  const types = [];
  for await (const chunk of client.chat(words(100), { sessionKey: key })) {
    types.push(chunk.type);
    if (chunk.type === 'text') {
      text += chunk.text;
      if (!aborted) aborted = await client.chatAbort(key);
    }
  }
  // 100 words at 50 ms would take 5 s; the run stopped after the first ones.
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  assert.equal(aborted.ok, true);
  assert.equal(aborted.aborted, true);
  assert.equal(aborted.runIds.length, 1);
  assert.ok(text.startsWith('w1 ') && text.length < words(100).length, text);
  assert.equal(types.at(-1), 'done');
  const status = await client.request('status', {});
  assert.equal(status.payload.activeRuns, 0);
});

test('session history and chat.send', async () => {
  const key = 'agent:main:node-session';
  assert.equal(await client.chatSync('first turn', { sessionKey: key }), 'first turn');
  const history = await client.sessions.history(key);
  assert.deepEqual(history.messages.map((m) => [m.role, m.content[0].text]),
    [['user', 'first turn'], ['assistant', 'first turn']]);
  const list = await client.sessions.list({ limit: 50 });
  assert.ok(list.sessions.some((s) => s.key === key), JSON.stringify(list.sessions));

  // chat.send answers at once and streams `chat` events ending with `final`.
  const final = new Promise((resolve) => {
    const onEvent = (e) => {
      if (e.event === 'chat' && e.payload.sessionKey === key && e.payload.state === 'final') {
        client.off('event', onEvent);
        resolve(e.payload);
      }
    };
    client.on('event', onEvent);
  });
  const sent = await client.sessions.send(key, 'second turn');
  assert.equal(sent.status, 'started');
  const done = await final;
  assert.equal(done.runId, sent.runId);
  assert.equal(done.message.content[0].text, 'second turn');
  const after2 = await client.sessions.history(key, { limit: 10 });
  assert.equal(after2.messages.length, 4);
});

test('unknown methods answer an error and keep the connection', async () => {
  await assert.rejects(client.request('no.such.method', {}), /unknown method: no.such.method/);
  assert.equal(client.isConnected, true);
  assert.equal((await client.health()).ok, true);
});

test('a wrong token is refused', async () => {
  const bad = newClient('not-the-token');
  const closed = new Promise((resolve) => bad.on('disconnected', resolve));
  await assert.rejects(bad.connect(), /closed before handshake completed/);
  await closed;
  assert.equal(bad.isConnected, false);
});

test('HTTP on the same port is unaffected', async () => {
  const res = await fetch(`http://127.0.0.1:${gw.port}/health`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true, status: 'live' });
  assert.equal(client.isConnected, true);
});
