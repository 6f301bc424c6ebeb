// Baseline for bench/run.sh: the same echo agent behind a minimal OpenAI-compatible endpoint in
// plain Node (http module, bearer check, JSON or SSE word by word). It does less than Passerelle
// (no config, no limiter, no log), so the comparison flatters Node, not us. A request header
// `x-bench-delay-ms: N` paces the stream as the echo model's chunkDelayMs does (one timer per
// stream, as a plain Node server would write it): the "bare Node SSE server" of the slow-stream
// scenarios.
import http from 'node:http';

const token = process.env.BENCH_TOKEN;
const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
    res.writeHead(404, { 'Content-Type': 'text/plain' }); res.end('Not Found'); return;
  }
  if (req.headers.authorization !== `Bearer ${token}`) {
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'Unauthorized', type: 'unauthorized' } })); return;
  }
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const payload = JSON.parse(body || '{}');
    const msgs = payload.messages || [];
    const prompt = String(msgs[msgs.length - 1]?.content ?? '').trim();
    const words = prompt.match(/\S+\s*/g) || [];
    const id = `chatcmpl_${crypto.randomUUID()}`; const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: words.length, completion_tokens: words.length, total_tokens: 2 * words.length };
    if (payload.stream === true) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
      const chunk = (delta, finish) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: payload.model,
        choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.write(chunk({ role: 'assistant' }, null));
      const end = () => { res.write(chunk({}, 'stop')); res.end('data: [DONE]\n\n'); };
      const delay = Number(req.headers['x-bench-delay-ms'] || 0);
      if (delay > 0) {
        let next = 0;
        const tick = () => {
          if (res.destroyed) return;
          if (next >= words.length) { end(); return; }
          res.write(chunk({ content: words[next++] }, null));
          setTimeout(tick, delay);
        };
        tick(); // the first word at once, then one every `delay` ms, as the echo model
        return;
      }
      for (const w of words) res.write(chunk({ content: w }, null));
      end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ id, object: 'chat.completion', created, model: payload.model,
      choices: [{ index: 0, message: { role: 'assistant', content: prompt }, finish_reason: 'stop' }], usage }));
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
