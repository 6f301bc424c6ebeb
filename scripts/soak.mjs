// The soak's traffic and its samples (scripts/soak.sh starts the gateway and runs this): mixed
// clients against one running passerelle for a number of minutes, RSS, open descriptors and
// latency sampled every 10 s and printed each minute, and a verdict: no 5xx the traffic did not ask
// for, every answer as expected, RSS and descriptors bounded after the warm-up minute.
// Usage: node soak.mjs <port> <pid> <token> <config path> <minutes>
import http from 'node:http';
import net from 'node:net';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';

const [port, pid, token, configPath, minutesArg] = process.argv.slice(2);
const minutes = Number(minutesArg);
const endAt = Date.now() + minutes * 60_000;
const configText = readFileSync(configPath, 'utf8');

const counts = {}; // kind -> { ok, bad }
const failures = []; // first few unexpected outcomes
let unexpected5xx = 0;
let latencies = []; // ms of non-streamed answers since the last sample
let healthLatencies = [];

function note(kind, ok, detail) {
  counts[kind] ??= { ok: 0, bad: 0 };
  counts[kind][ok ? 'ok' : 'bad'] += 1;
  if (!ok && failures.length < 20) failures.push(`${kind}: ${detail}`);
}

function post(body, { auth = token, path = '/v1/chat/completions', onResponse } = {}) {
  return new Promise((resolve) => {
    const data = typeof body === 'string' ? body : JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) };
    if (auth) headers.authorization = `Bearer ${auth}`;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers, agent: false });
    req.on('response', (res) => {
      if (res.statusCode >= 500) unexpected5xx += 1;
      if (onResponse) return onResponse(req, res, resolve);
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
      res.on('error', () => resolve({ status: -1, text }));
    });
    req.on('error', (e) => resolve({ status: -1, text: String(e) }));
    req.end(data);
  });
}

function chat(content, stream, extra = {}) {
  return { model: extra.model ?? 'openclaw', stream, user: extra.user,
           messages: [{ role: 'user', content }] };
}

const words = (n) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

const traffic = {
  async stream(i) {
    const r = await post(chat(`stream ${i} ${words(20)}`, true, { user: `soak-${i % 8}` }));
    note('stream', r.status === 200 && r.text.trimEnd().endsWith('data: [DONE]'), `${r.status}`);
  },
  async plain(i) {
    const t0 = performance.now();
    const r = await post(chat(`plain ${i}`, false));
    latencies.push(performance.now() - t0);
    note('plain', r.status === 200 && r.text.includes('"chat.completion"'), `${r.status} ${r.text.slice(0, 120)}`);
  },
  async disconnect(i) {
    // A slow stream the client leaves after its first bytes.
    const r = await post(chat(`leave ${i} ${words(200)}`, true, { model: 'openclaw/slow' }), {
      onResponse: (req, res, resolve) => {
        res.once('data', () => { req.destroy(); resolve({ status: res.statusCode }); });
        res.on('error', () => {});
      },
    });
    note('disconnect', r.status === 200, `${r.status}`);
  },
  async bad(i) {
    const cases = [
      [() => post('{"messages": [', {}), 400],
      [() => post(chat('x', false), { auth: 'wrong-token' }), 401],
      [() => post(chat('x', false), { path: '/v1/nope' }), 404],
      [() => post({ messages: 5 }), 400],
      [() => post('x'.repeat(1024), {}), 400],
    ];
    const [send, status] = cases[i % cases.length];
    const r = await send();
    note('bad', r.status === status, `wanted ${status}, got ${r.status} ${r.text?.slice(0, 80)}`);
  },
  async slowReader(i) {
    // A long echo read a little at a time: the whole stream must still arrive.
    const r = await post(chat(`slow reader ${i} ${words(3000)}`, true), {
      onResponse: (req, res, resolve) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
          res.pause();
          setTimeout(() => res.resume(), 5);
        });
        res.on('end', () => resolve({ status: res.statusCode, text }));
        res.on('error', () => resolve({ status: -1, text }));
      },
    });
    note('slowReader', r.status === 200 && r.text.includes('w2999') && r.text.trimEnd().endsWith('[DONE]'),
      `${r.status} ${r.text?.length}`);
  },
  async websocket(i) {
    const ok = await new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
      const timer = setTimeout(() => { ws.terminate(); resolve('timeout'); }, 20_000);
      const done = (v) => { clearTimeout(timer); ws.close(); resolve(v); };
      const key = `agent:main:soak-ws-${i % 4}`;
      ws.on('message', (raw) => {
        const f = JSON.parse(raw.toString());
        if (f.type === 'event' && f.event === 'connect.challenge') {
          ws.send(JSON.stringify({ type: 'req', id: 'c', method: 'connect', params: {
            minProtocol: 3, maxProtocol: 4, auth: { token },
            client: { id: 'soak', version: '1.0.0', platform: 'linux', mode: 'test' } } }));
        } else if (f.type === 'res' && f.id === 'c') {
          if (!f.ok) return done(`connect: ${JSON.stringify(f.error)}`);
          ws.send(JSON.stringify({ type: 'req', id: 's', method: 'chat.send',
                                   params: { sessionKey: key, message: `ws ${i}` } }));
        } else if (f.type === 'res' && f.id === 's' && !f.ok) {
          done(`chat.send: ${JSON.stringify(f.error)}`);
        } else if (f.type === 'event' && f.event === 'chat' && f.payload?.state === 'final') {
          done(true);
        } else if (f.type === 'event' && f.event === 'chat' && f.payload?.state === 'error') {
          done(`chat error: ${JSON.stringify(f.payload)}`);
        }
      });
      ws.on('unexpected-response', (_, res) => { if (res.statusCode >= 500) unexpected5xx += 1; done(`http ${res.statusCode}`); });
      ws.on('error', (e) => done(String(e)));
    });
    note('websocket', ok === true, String(ok));
  },
  async rawGarbage(i) {
    // Bytes that are not HTTP: a 400 or a close, never a crash.
    await new Promise((resolve) => {
      const s = net.connect(Number(port), '127.0.0.1', () => s.end(`\x00\x01 GARBAGE ${i}\r\n\r\n`));
      s.on('data', (d) => { if (/^HTTP\/1\.1 5/.test(d.toString())) unexpected5xx += 1; });
      s.on('close', resolve);
      s.on('error', resolve);
      s.setTimeout(15_000, () => s.destroy());
    });
    note('rawGarbage', true);
  },
};

let configEdits = 0;
function editConfig() {
  // Alternate two keep-alive intervals: a live reload each time, the traffic unaffected.
  configEdits += 1;
  writeFileSync(configPath, configText.replace('keepAliveMs: 15000', `keepAliveMs: ${configEdits % 2 ? 14000 : 15000}`));
}

async function worker(kinds, id) {
  let i = id * 100000;
  while (Date.now() < endAt) {
    const kind = kinds[i % kinds.length];
    await traffic[kind](i);
    i += 1;
  }
}

function sample() {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(status.match(/VmRSS:\s+(\d+)/)[1]);
  const fds = readdirSync(`/proc/${pid}/fd`).length;
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN);
  const health = healthLatencies.length ? Math.max(...healthLatencies) : NaN;
  const s = { t: Math.round((Date.now() - (endAt - minutes * 60_000)) / 1000), rssMb: rssKb / 1024, fds,
              p50: pct(0.5), p95: pct(0.95), n: sorted.length, healthMax: health };
  latencies = [];
  healthLatencies = [];
  return s;
}

async function healthProbe() {
  while (Date.now() < endAt) {
    const t0 = performance.now();
    await new Promise((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => {
        if (res.statusCode >= 500) unexpected5xx += 1;
        res.resume();
        res.on('end', resolve);
      }).on('error', resolve);
    });
    healthLatencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const samples = [];
const sampler = setInterval(() => {
  const s = sample();
  samples.push(s);
  if (s.t % 60 < 10)
    console.log(`t=${String(s.t).padStart(4)}s rss=${s.rssMb.toFixed(1)} MB fds=${s.fds} ` +
      `plain p50=${s.p50.toFixed(1)} ms p95=${s.p95.toFixed(1)} ms (n=${s.n}) /health max=${s.healthMax.toFixed(1)} ms`);
}, 10_000);
const editor = setInterval(editConfig, 20_000);

const start = sample();
console.log(`t=   0s rss=${start.rssMb.toFixed(1)} MB fds=${start.fds} (before traffic)`);
await Promise.all([
  worker(['stream', 'plain', 'plain', 'stream'], 0),
  worker(['plain', 'bad', 'stream', 'disconnect'], 1),
  worker(['stream', 'websocket', 'plain', 'rawGarbage'], 2),
  worker(['slowReader'], 3),
  worker(['websocket', 'plain', 'bad'], 4),
  worker(['disconnect', 'stream', 'plain'], 5),
  healthProbe(),
]);
clearInterval(sampler);
clearInterval(editor);
writeFileSync(configPath, configText);
samples.push(sample());

// Verdict: after the first minute (warm-up) RSS may rise at most max(16 MB, 25 %) and descriptors
// at most 16 over their value then.
const warm = samples.filter((s) => s.t >= 60);
const base = warm[0] ?? samples[0];
const peakRss = Math.max(...warm.map((s) => s.rssMb));
const peakFds = Math.max(...warm.map((s) => s.fds));
const rssBound = base.rssMb + Math.max(16, base.rssMb * 0.25);
const fdBound = base.fds + 16;
const total = Object.values(counts).reduce((a, c) => a + c.ok + c.bad, 0);
console.log(`requests: ${total}; ${Object.entries(counts).map(([k, c]) => `${k} ${c.ok}${c.bad ? ` (${c.bad} bad)` : ''}`).join(', ')}; config edits ${configEdits}`);
console.log(`after warm-up: rss ${base.rssMb.toFixed(1)} -> peak ${peakRss.toFixed(1)} MB (bound ${rssBound.toFixed(1)}), ` +
  `fds ${base.fds} -> peak ${peakFds} (bound ${fdBound}); unexpected 5xx: ${unexpected5xx}`);
const bad = Object.values(counts).reduce((a, c) => a + c.bad, 0);
const problems = [];
if (unexpected5xx) problems.push(`${unexpected5xx} unexpected 5xx`);
if (bad) problems.push(`${bad} unexpected answers: ${failures.join('; ')}`);
if (peakRss > rssBound) problems.push('RSS grew past its bound');
if (peakFds > fdBound) problems.push('descriptors grew past their bound');
if (problems.length) {
  console.log(`SOAK FAILED: ${problems.join('; ')}`);
  process.exit(1);
}
console.log('soak ok');
