// The Vercel AI SDK (`ai` + `@ai-sdk/openai-compatible`) against the built binary. It is strict
// about streams: a stream without a finish chunk is an error for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateText, streamText } from 'ai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { startGateway, TOKEN } from './gateway.mjs';

let gw;
before(async () => { gw = await startGateway(); });
after(async () => { assert.equal(await gw.stop(), 0); });

const provider = () => createOpenAICompatible({
  name: 'passerelle', baseURL: gw.baseURL, apiKey: TOKEN, includeUsage: true,
});

test('generateText', async () => {
  const r = await generateText({ model: provider()('openclaw'), prompt: 'hello from the ai sdk' });
  assert.equal(r.text, 'hello from the ai sdk');
  assert.equal(r.finishReason, 'stop');
  assert.equal(r.usage.outputTokens, 5);
});

test('streamText delivers every delta and a finish', async () => {
  const r = streamText({ model: provider()('openclaw/main'), prompt: 'one two three four' });
  const parts = [];
  for await (const delta of r.textStream) parts.push(delta);
  assert.deepEqual(parts, ['one ', 'two ', 'three ', 'four']);
  assert.equal(await r.finishReason, 'stop');
  assert.equal((await r.usage).outputTokens, 4);
});

test('streamText with max output tokens finishes with length', async () => {
  const r = streamText({ model: provider()('openclaw'), prompt: 'a b c d e f', maxOutputTokens: 2 });
  let text = '';
  for await (const delta of r.textStream) text += delta;
  assert.equal(text, 'a b ');
  assert.equal(await r.finishReason, 'length');
});

test('an invalid agent is an API error the SDK reports', async () => {
  await assert.rejects(
    generateText({ model: provider()('openclaw/ghost'), prompt: 'x', maxRetries: 0 }),
    (err) => err.statusCode === 400 && /Unknown agent 'ghost'\./.test(err.message));
});
