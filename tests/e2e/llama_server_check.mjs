// Asks llama-server directly, then the same through Passerelle, at temperature 0, and requires the
// same answers: non-streaming and streaming text, finish reason and token counts; a tool-call round
// trip (the call, then the answer to its result) when the model's chat template has tool calls; a
// session whose second turn carries the first.
// The gateway runs with README.md's llama-server provider entry, then with its Ollama and vLLM
// entries pointed at the same llama-server (it answers for any model name).
// Usage: PASSERELLE_BIN=... PASSERELLE_README=... node llama_server_check.mjs <llama base url>

import assert from 'node:assert/strict';
import { startGateway, TOKEN } from '../clients/gateway.mjs';
import { readmeConfigEntries } from '../clients/readme.mjs';

const [llamaBase] = process.argv.slice(2);
const messages = [{ role: 'user', content: 'Hello there, tell me something.' }];
const sampling = { temperature: 0, max_tokens: 24, seed: 7 };
let passed = 0;

async function check(label, fn) {
  const t0 = performance.now();
  await fn();
  passed += 1;
  console.log(`   ok ${label} (${((performance.now() - t0) / 1000).toFixed(2)} s)`);
}

async function post(url, body, auth) {
  const headers = { 'Content-Type': 'application/json' };
  if (auth) headers.Authorization = `Bearer ${auth}`;
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function completion(base, body, auth) {
  const r = await post(`${base}/chat/completions`, body, auth);
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return JSON.parse(text);
}

async function readSse(response) {
  const frames = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (frame.startsWith(':')) continue; // keep-alive comment
      assert.ok(frame.startsWith('data: '), `unexpected frame ${frame}`);
      const data = frame.slice(6);
      frames.push(data === '[DONE]' ? data : JSON.parse(data));
    }
  }
  return frames;
}

async function stream(base, body, auth) {
  const r = await post(`${base}/chat/completions`,
    { ...body, stream: true, stream_options: { include_usage: true } }, auth);
  assert.equal(r.status, 200, r.status === 200 ? '' : await r.text());
  assert.match(r.headers.get('content-type'), /^text\/event-stream/);
  return readSse(r);
}

// The tool calls of a stream's deltas, put together as a message's tool_calls would be.
function streamedToolCalls(frames) {
  const calls = [];
  for (const f of frames) {
    if (f === '[DONE]') continue;
    for (const d of f.choices?.[0]?.delta?.tool_calls ?? []) {
      calls[d.index] ??= { name: '', arguments: '' };
      if (d.function?.name) calls[d.index].name += d.function.name;
      if (d.function?.arguments) calls[d.index].arguments += d.function.arguments;
    }
  }
  return calls;
}

const callsOf = (message) => (message.tool_calls ?? [])
  .map((c) => ({ name: c.function.name, arguments: c.function.arguments }));

const props = await (await fetch(new URL('/props', llamaBase))).json();
const toolCalls = props.chat_template_caps?.supports_tool_calls === true;

const direct = await completion(llamaBase, { model: 'tiny', messages, ...sampling });
const expected = direct.choices[0].message.content;
assert.ok(expected.length > 0, 'llama-server answered nothing');
console.log(`   llama-server says: ${JSON.stringify(expected)} (${direct.choices[0].finish_reason}, ` +
            `${direct.usage.prompt_tokens}+${direct.usage.completion_tokens} tokens)`);

const gw = await startGateway(readmeConfigEntries('provider-llama-server')
  .replace(/baseUrl: '[^']*'/, `baseUrl: '${llamaBase}'`));
try {
  await check('non-streaming, as llama-server', async () => {
    const relayed = await completion(gw.baseURL, { model: 'openclaw', messages, ...sampling }, TOKEN);
    assert.equal(relayed.object, 'chat.completion');
    assert.equal(relayed.model, 'openclaw');
    assert.equal(relayed.choices[0].message.content, expected);
    assert.equal(relayed.choices[0].finish_reason, direct.choices[0].finish_reason);
    assert.equal(relayed.usage.prompt_tokens, direct.usage.prompt_tokens);
    assert.equal(relayed.usage.completion_tokens, direct.usage.completion_tokens);
  });

  await check('streaming, as llama-server', async () => {
    const frames = await stream(gw.baseURL, { model: 'openclaw', messages, ...sampling }, TOKEN);
    const deltas = frames.map((f) => f !== '[DONE]' && f.choices?.[0]?.delta?.content).filter(Boolean);
    assert.deepEqual(frames[0].choices[0].delta, { role: 'assistant' });
    assert.equal(deltas.join(''), expected);
    assert.ok(deltas.length > 1, `expected the text in several deltas, got ${deltas.length}`);
    const finish = frames.filter((f) => f !== '[DONE]' && f.choices?.[0]?.finish_reason);
    assert.equal(finish.length, 1);
    assert.equal(finish[0].choices[0].finish_reason, direct.choices[0].finish_reason);
    const usage = frames.find((f) => f !== '[DONE]' && Array.isArray(f.choices) && f.choices.length === 0);
    assert.equal(usage.usage.completion_tokens, direct.usage.completion_tokens);
    assert.equal(frames.at(-1), '[DONE]');
    assert.equal(new Set(frames.filter((f) => f !== '[DONE]').map((f) => f.id)).size, 1);
  });

  // The tool-call round trip runs when the model's chat template has tool calls: llama-server
  // says so in /props (chat_template_caps, read from the template itself). Then a grammar makes
  // the answer a call even with random weights.
  if (toolCalls) {
    const tools = [{
      type: 'function',
      function: {
        name: 'get_weather', description: 'The weather in a city',
        parameters: { type: 'object', properties: { city: { type: 'string', enum: ['Paris', 'Lyon'] } },
                      required: ['city'] },
      },
    }];
    const ask = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const toolTurn = { tools, tool_choice: 'required', temperature: 0, seed: 7, max_tokens: 64 };
    const directCall = await completion(llamaBase, { model: 'tiny', messages: ask, ...toolTurn });
    assert.equal(directCall.choices[0].finish_reason, 'tool_calls', JSON.stringify(directCall));
    const expectedCalls = callsOf(directCall.choices[0].message);
    assert.equal(expectedCalls.length, 1, JSON.stringify(directCall));
    assert.equal(expectedCalls[0].name, 'get_weather');
    console.log(`   llama-server calls: ${expectedCalls[0].name}(${expectedCalls[0].arguments})`);
    let relayedCall;

    await check('tool call, non-streaming, as llama-server', async () => {
      relayedCall = await completion(gw.baseURL, { model: 'openclaw', messages: ask, ...toolTurn }, TOKEN);
      assert.equal(relayedCall.choices[0].finish_reason, 'tool_calls');
      assert.equal(relayedCall.choices[0].message.content, '');
      assert.deepEqual(callsOf(relayedCall.choices[0].message), expectedCalls);
      assert.ok(relayedCall.choices[0].message.tool_calls[0].id, 'the call has an id');
    });

    await check('tool call, streaming, as llama-server', async () => {
      const frames = await stream(gw.baseURL, { model: 'openclaw', messages: ask, ...toolTurn }, TOKEN);
      assert.deepEqual(streamedToolCalls(frames), expectedCalls);
      const finish = frames.filter((f) => f !== '[DONE]' && f.choices?.[0]?.finish_reason);
      assert.equal(finish.length, 1);
      assert.equal(finish[0].choices[0].finish_reason, 'tool_calls');
    });

    await check('the tool result, answered as llama-server answers it', async () => {
      const call = relayedCall.choices[0].message.tool_calls[0];
      const roundTrip = [
        ...ask,
        { role: 'assistant', content: '', tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"city":"Paris","sky":"clear","celsius":18}' },
      ];
      const body = { messages: roundTrip, tools, tool_choice: 'none', ...sampling };
      const want = await completion(llamaBase, { model: 'tiny', ...body });
      const got = await completion(gw.baseURL, { model: 'openclaw', ...body }, TOKEN);
      assert.ok(want.choices[0].message.content.length > 0, 'llama-server answered the result');
      assert.equal(got.choices[0].message.content, want.choices[0].message.content);
      assert.equal(got.choices[0].finish_reason, want.choices[0].finish_reason);
      assert.equal(got.usage.prompt_tokens, want.usage.prompt_tokens);
    });
  } else {
    console.log('   no tool-call round trip: the chat template of this model has no tool calls ' +
                '(llama-server /props: chat_template_caps.supports_tool_calls is false), so ' +
                'llama-server answers a request with tools with plain text');
  }

  await check('a session: turn 2 carries turn 1 upstream', async () => {
    const turn = { model: 'openclaw', user: 'e2e', messages: [{ role: 'user', content: 'My name is Ann.' }], ...sampling };
    const first = await completion(gw.baseURL, turn, TOKEN);
    const second = await completion(gw.baseURL, turn, TOKEN);
    assert.ok(second.usage.prompt_tokens > first.usage.prompt_tokens + first.usage.completion_tokens,
      `turn 2 should carry turn 1 (${first.usage.prompt_tokens} then ${second.usage.prompt_tokens} prompt tokens)`);
  });
} finally {
  assert.equal(await gw.stop(), 0, 'the gateway exits cleanly');
}

for (const entry of ['provider-ollama', 'provider-vllm']) {
  const other = await startGateway(readmeConfigEntries(entry)
    .replace(/baseUrl: '[^']*'/, `baseUrl: '${llamaBase}'`));
  try {
    await check(`README's ${entry} entry relays llama-server's answer`, async () => {
      const relayed = await completion(other.baseURL, { model: 'openclaw', messages, ...sampling }, TOKEN);
      assert.equal(relayed.choices[0].message.content, expected);
      const frames = await stream(other.baseURL, { model: 'openclaw', messages, ...sampling }, TOKEN);
      assert.equal(frames.map((f) => f !== '[DONE]' && f.choices?.[0]?.delta?.content).filter(Boolean).join(''),
        expected);
    });
  } finally {
    assert.equal(await other.stop(), 0);
  }
}

console.log(`e2e llama-server: ${passed} passed, 0 failed`);
