// Per-provider admission (SPEC section 12) as the official `openai` SDK sees it: with a provider
// that takes one run at a time and queues one more, a third concurrent request is refused with 503
// "upstream provider busy" and Retry-After: 1; the SDK's own retry (which honours Retry-After)
// then gets every request through.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startGateway, TOKEN } from './gateway.mjs';

let gw;
before(async () => {
  gw = await startGateway(`
    agents: { list: [ { id: 'main', default: true, model: 'slow/echo' } ] },
    models: { providers: { slow: { api: 'echo', chunkDelayMs: 60, maxConcurrent: 1, maxQueue: 1 } } },
  `);
});
after(async () => { assert.equal(await gw.stop(), 0); });

const ask = (client, words) => client.chat.completions.create({
  model: 'openclaw', messages: [{ role: 'user', content: words }],
});

test('a full queue is 503 upstream provider busy with Retry-After', async () => {
  const client = new OpenAI({ baseURL: gw.baseURL, apiKey: TOKEN, maxRetries: 0 });
  const results = await Promise.allSettled([
    ask(client, 'one two three four five'),
    ask(client, 'six seven eight nine ten'),
    ask(client, 'eleven twelve thirteen fourteen'),
  ]);
  const ok = results.filter((r) => r.status === 'fulfilled');
  const refused = results.filter((r) => r.status === 'rejected');
  assert.equal(ok.length, 2, 'one runs, one waits its turn');
  assert.equal(refused.length, 1);
  const err = refused[0].reason;
  assert.ok(err instanceof OpenAI.APIError, String(err));
  assert.equal(err.status, 503);
  assert.equal(err.error?.message, 'upstream provider busy');
  assert.equal(err.error?.type, 'api_error');
  assert.equal(err.headers?.get('retry-after'), '1'); // a fetch Headers since openai 5
  assert.deepEqual(ok.map((r) => r.value.choices[0].message.content).sort(),
    ['one two three four five', 'six seven eight nine ten']);
});

test('the SDK retries after Retry-After and every request gets through', async () => {
  const client = new OpenAI({ baseURL: gw.baseURL, apiKey: TOKEN, maxRetries: 3 });
  const answers = await Promise.all([
    ask(client, 'alpha beta'), ask(client, 'gamma delta'), ask(client, 'epsilon zeta'),
  ]);
  assert.deepEqual(answers.map((a) => a.choices[0].message.content),
    ['alpha beta', 'gamma delta', 'epsilon zeta']);
});
