// The official `openai` npm SDK against the built binary, as a user's app would talk to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startGateway, TOKEN } from './gateway.mjs';

let gw;
before(async () => { gw = await startGateway(); });
after(async () => { const code = await gw.stop(); assert.equal(code, 0, 'clean exit on SIGTERM'); });

test('non-streaming completion', async () => {
  const client = new OpenAI({ baseURL: gw.baseURL, apiKey: TOKEN });
  const r = await client.chat.completions.create({
    model: 'openclaw', messages: [{ role: 'user', content: 'hello from the sdk' }],
  });
  assert.match(r.id, /^chatcmpl_/);
  assert.equal(r.object, 'chat.completion');
  assert.equal(r.model, 'openclaw');
  assert.equal(r.choices[0].message.role, 'assistant');
  assert.equal(r.choices[0].message.content, 'hello from the sdk');
  assert.equal(r.choices[0].finish_reason, 'stop');
  assert.deepEqual(r.usage, { prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 });
});

test('streaming completion with usage', async () => {
  const client = new OpenAI({ baseURL: gw.baseURL, apiKey: TOKEN });
  const stream = await client.chat.completions.create({
    model: 'openclaw/main', stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'stream these words' }],
  });
  let text = ''; let finish = null; let usage = null; let chunks = 0; const ids = new Set();
  for await (const chunk of stream) {
    chunks += 1; ids.add(chunk.id);
    if (chunk.usage) usage = chunk.usage;
    for (const c of chunk.choices) {
      if (c.delta?.content) text += c.delta.content;
      if (c.finish_reason) finish = c.finish_reason;
    }
  }
  assert.equal(text, 'stream these words');
  assert.equal(finish, 'stop');
  assert.equal(ids.size, 1);
  assert.equal(chunks, 6); // role, 3 words, finish, usage
  assert.deepEqual(usage, { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 });
});

test('wrong key gives 401', async () => {
  const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'wrong', maxRetries: 0 });
  await assert.rejects(
    client.chat.completions.create({ model: 'openclaw', messages: [{ role: 'user', content: 'x' }] }),
    (err) => err instanceof OpenAI.AuthenticationError && err.status === 401
      && err.error?.message === 'Unauthorized');
});

test('invalid model gives 400', async () => {
  const client = new OpenAI({ baseURL: gw.baseURL, apiKey: TOKEN, maxRetries: 0 });
  await assert.rejects(
    client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    (err) => err instanceof OpenAI.BadRequestError && err.status === 400
      && err.error?.message === 'Invalid `model`. Use `openclaw` or `openclaw/<agentId>`.'
      && err.error?.type === 'invalid_request_error');
});

test('models list', async () => {
  const client = new OpenAI({ baseURL: gw.baseURL, apiKey: TOKEN });
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.deepEqual(ids, ['openclaw', 'openclaw/default', 'openclaw/main']);
});
