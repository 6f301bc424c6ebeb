// The AI SDK's OpenAI provider (`@ai-sdk/openai`), whose default model API is Responses, against
// the built binary: the responses() model with generateText and streamText.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateText, streamText } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { startGateway, TOKEN } from './gateway.mjs';

let gw;
before(async () => { gw = await startGateway(); });
after(async () => { assert.equal(await gw.stop(), 0); });

const openai = () => createOpenAI({ baseURL: gw.baseURL, apiKey: TOKEN });

test('generateText through responses()', async () => {
  const r = await generateText({ model: openai().responses('openclaw'), prompt: 'hello from the ai sdk' });
  assert.equal(r.text, 'hello from the ai sdk');
  assert.equal(r.finishReason, 'stop');
  assert.equal(r.usage.inputTokens, 5);
  assert.equal(r.usage.outputTokens, 5);
  assert.match(r.response.id, /^resp_/);
});

test('streamText through responses()', async () => {
  const r = streamText({ model: openai().responses('openclaw/main'), prompt: 'one two three four' });
  const parts = [];
  for await (const delta of r.textStream) parts.push(delta);
  assert.deepEqual(parts, ['one ', 'two ', 'three ', 'four']);
  assert.equal(await r.finishReason, 'stop');
  assert.equal((await r.usage).outputTokens, 4);
});
