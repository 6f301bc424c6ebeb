// A tiny OpenAI-compatible upstream for the real-client suites: POST /v1/chat/completions,
// always answered as a stream (the gateway asks for one). Scripted: a request that offers a
// `get_weather` tool and carries no tool result yet gets a tool call (arguments streamed in two
// pieces); one whose last message is a tool result gets the text "Weather report: <result>";
// anything else gets "upstream says: <last user text>". Records every request body.
import { createServer } from 'node:http';

export async function startFakeUpstream() {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
        res.writeHead(404).end();
        return;
      }
      const json = JSON.parse(body || '{}');
      requests.push(json);
      const messages = json.messages ?? [];
      const last = messages[messages.length - 1] ?? {};
      const offersWeather = (json.tools ?? []).some((t) => t.function?.name === 'get_weather');
      const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: json.model };
      const chunk = (delta, finish = null) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      const frames = [];
      if (offersWeather && last.role !== 'tool') {
        frames.push(chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_weather_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }));
        frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }));
        frames.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }));
        frames.push(chunk({}, 'tool_calls'));
      } else if (last.role === 'tool') {
        frames.push(chunk({ role: 'assistant', content: 'Weather report: ' }));
        frames.push(chunk({ content: String(last.content) }));
        frames.push(chunk({}, 'stop'));
      } else {
        const text = typeof last.content === 'string' ? last.content : JSON.stringify(last.content);
        frames.push(chunk({ role: 'assistant', content: `upstream says: ${text}` }));
        frames.push(chunk({}, 'stop'));
      }
      frames.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } })}\n\n`);
      frames.push('data: [DONE]\n\n');
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      for (const f of frames) res.write(f);
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
