// The official `openai` npm SDK's Responses API against the built binary: responses.create,
// responses.stream with its final response, responses.retrieve, a chain through
// previous_response_id, and delete.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startGateway, TOKEN } from './gateway.mjs';

let gw;
let client;
before(async () => {
  gw = await startGateway();
  client = new OpenAI({ baseURL: gw.baseURL, apiKey: TOKEN, maxRetries: 0 });
});
after(async () => { assert.equal(await gw.stop(), 0, 'clean exit on SIGTERM'); });

test('responses.create', async () => {
  const r = await client.responses.create({ model: 'openclaw', input: 'hello from the responses api' });
  assert.match(r.id, /^resp_[0-9a-f]{32}$/);
  assert.equal(r.object, 'response');
  assert.equal(r.status, 'completed');
  assert.equal(r.model, 'openclaw');
  assert.equal(r.output_text, 'hello from the responses api');
  assert.equal(r.output[0].type, 'message');
  assert.equal(r.output[0].role, 'assistant');
  assert.deepEqual(r.usage, { input_tokens: 5, output_tokens: 5, total_tokens: 10 });
});

test('responses.stream gives every event and the final response', async () => {
  const stream = client.responses.stream({ model: 'openclaw/main', input: 'one two three', instructions: 'Be brief' });
  const types = [];
  let text = '';
  stream.on('response.output_text.delta', (e) => { text += e.delta; });
  for await (const event of stream) types.push(event.type);
  const final = await stream.finalResponse();
  assert.equal(text, 'one two three');
  assert.equal(types[0], 'response.created');
  assert.equal(types[1], 'response.in_progress');
  assert.equal(types.at(-1), 'response.completed');
  assert.equal(types.filter((t) => t === 'response.output_text.delta').length, 3);
  assert.equal(final.status, 'completed');
  assert.equal(final.output[0].content[0].text, 'one two three');
  assert.equal(final.instructions, 'Be brief');
  assert.deepEqual(final.usage, { input_tokens: 5, output_tokens: 3, total_tokens: 8 });
});

test('responses.retrieve returns the stored response; delete removes it', async () => {
  const made = await client.responses.create({ model: 'openclaw', input: 'keep me', metadata: { ticket: '7' } });
  const got = await client.responses.retrieve(made.id);
  const { output_text: text, ...stored } = made; // output_text: the SDK's convenience of create()
  assert.equal(text, 'keep me');
  assert.deepEqual({ ...got, output_text: undefined }, { ...stored, output_text: undefined });
  assert.deepEqual(got.metadata, { ticket: '7' });
  await client.responses.delete(made.id);
  await assert.rejects(client.responses.retrieve(made.id), (e) => e.status === 404
    && e.message.includes(`Response with id '${made.id}' not found.`));
});

test('previous_response_id continues; an unknown one is a 400', async () => {
  const first = await client.responses.create({ model: 'openclaw', input: 'first turn' });
  const next = await client.responses.create({ model: 'openclaw', input: 'second turn', previous_response_id: first.id });
  assert.equal(next.previous_response_id, first.id);
  // The echo agent answers the new prompt (the chain itself is checked in tst_responses).
  assert.equal(next.output_text, 'second turn');
  await assert.rejects(
    client.responses.create({ model: 'openclaw', input: 'x', previous_response_id: 'resp_missing' }),
    (e) => e.status === 400 && e.code === 'previous_response_not_found'
      && e.param === 'previous_response_id');
});

test('store: false keeps nothing', async () => {
  const r = await client.responses.create({ model: 'openclaw', input: 'secret', store: false });
  assert.equal(r.store, false);
  await assert.rejects(client.responses.retrieve(r.id), (e) => e.status === 404);
});
