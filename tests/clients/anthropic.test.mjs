// The Anthropic SDK (npm `@anthropic-ai/sdk`) against the built binary, as a user points it at
// Passerelle: baseURL the gateway, apiKey the gateway token (sent as x-api-key). messages.create
// and messages.stream(...).finalMessage() on the echo agent behind the `claude-*` alias, the
// Anthropic-shaped errors the SDK turns into its error classes, count_tokens, and a tool-use round
// trip through a fake OpenAI upstream (a node server of this test) that scripts a tool call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startGateway, TOKEN } from './gateway.mjs';
import { startFakeUpstream } from './fake-upstream.mjs';

let gw;
let upstream;
let client;
before(async () => {
  upstream = await startFakeUpstream();
  gw = await startGateway(`
    agents: { list: [ { id: 'main', default: true, model: 'echo/echo' },
                      { id: 'weather', model: 'fake/model-w' } ] },
    models: { providers: { fake: { api: 'openai-completions', baseUrl: '${upstream.baseURL}',
                                   models: [{ id: 'model-w' }] } } },
    passerelle: { http: { endpoints: { messages: { enabled: true } } },
                  modelAliases: { 'claude-*': 'main', 'weather-*': 'weather' } },`);
  client = new Anthropic({ apiKey: TOKEN, baseURL: `http://127.0.0.1:${gw.port}`, maxRetries: 0 });
});
after(async () => {
  assert.equal(await gw.stop(), 0);
  await upstream.stop();
});

test('messages.create answers with the echo agent', async () => {
  const message = await client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Reply with the words purple elephant' }],
  });
  assert.match(message.id, /^msg_[A-Za-z0-9]{24}$/);
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(message.model, 'claude-sonnet-4-5');
  assert.equal(message.stop_reason, 'end_turn');
  assert.deepEqual(message.content, [{ type: 'text', text: 'Reply with the words purple elephant' }]);
  // the echo provider counts words: "Be brief." and the prompt
  assert.deepEqual(message.usage, { input_tokens: 8, output_tokens: 6 });
});

test('messages.stream(...).finalMessage() assembles the streamed events', async () => {
  const stream = client.messages.stream({
    model: 'claude-opus-5-5',
    max_tokens: 3,
    messages: [{ role: 'user', content: 'one two three four five' }],
  });
  const texts = [];
  stream.on('text', (t) => texts.push(t));
  const message = await stream.finalMessage();
  assert.deepEqual(texts, ['one ', 'two ', 'three ']);
  assert.equal(message.stop_reason, 'max_tokens');
  assert.deepEqual(message.content, [{ type: 'text', text: 'one two three ' }]);
  assert.equal(message.usage.output_tokens, 3);
  assert.equal(message.usage.input_tokens, 5);
});

test('errors come back as the SDK error classes', async () => {
  await assert.rejects(
    client.messages.create({ model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
    (err) => err instanceof Anthropic.BadRequestError && err.status === 400
      && err.error?.error?.type === 'invalid_request_error'
      && err.error.error.message === 'Invalid `model`. Use `openclaw` or `openclaw/<agentId>`.');
  const wrong = new Anthropic({ apiKey: 'wrong', baseURL: `http://127.0.0.1:${gw.port}`, maxRetries: 0 });
  await assert.rejects(
    wrong.messages.create({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
    (err) => err instanceof Anthropic.AuthenticationError && err.error?.error?.type === 'authentication_error');
});

test('countTokens estimates the input', async () => {
  const counted = await client.messages.countTokens({
    model: 'claude-sonnet-4-5',
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Reply with the words purple elephant' }],
  });
  assert.deepEqual(counted, { input_tokens: 8 });
});

test('a tool-use round trip through the fake upstream', async () => {
  const tools = [{
    name: 'get_weather',
    description: 'The weather of a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  }];
  const question = { role: 'user', content: 'What is the weather in Paris?' };
  const first = await client.messages.stream({ model: 'weather-1', max_tokens: 256, tools, messages: [question] })
    .finalMessage();
  assert.equal(first.stop_reason, 'tool_use');
  const use = first.content.find((b) => b.type === 'tool_use');
  assert.ok(use, JSON.stringify(first.content));
  assert.match(use.id, /^toolu_/);
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, { city: 'Paris' });
  // upstream got the tool as a function tool
  assert.equal(upstream.requests.at(-1).tools[0].type, 'function');
  assert.equal(upstream.requests.at(-1).tools[0].function.name, 'get_weather');
  assert.deepEqual(upstream.requests.at(-1).tools[0].function.parameters, tools[0].input_schema);

  const second = await client.messages.create({
    model: 'weather-1', max_tokens: 256, tools,
    messages: [question, { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny in Paris' }] }],
  });
  assert.equal(second.stop_reason, 'end_turn');
  assert.deepEqual(second.content, [{ type: 'text', text: 'Weather report: sunny in Paris' }]);
  // upstream saw the assistant's tool call and the tool result with its id
  const messages = upstream.requests.at(-1).messages;
  const assistant = messages.find((m) => m.role === 'assistant');
  assert.equal(assistant.tool_calls[0].id, use.id);
  assert.equal(assistant.tool_calls[0].function.name, 'get_weather');
  assert.equal(assistant.tool_calls[0].function.arguments, '{"city":"Paris"}');
  assert.deepEqual(messages.at(-1), { role: 'tool', tool_call_id: use.id, content: 'sunny in Paris' });
});
