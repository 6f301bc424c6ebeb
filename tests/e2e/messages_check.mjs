// The Anthropic Messages API through Passerelle in front of llama-server: asks llama-server
// directly (Chat Completions), then the same conversation as an Anthropic request through
// Passerelle's /v1/messages (non-streaming and streaming, temperature 0, the model name going
// through the `claude-*` alias), and requires the same text, the stop reason and the token counts.
// Usage: node messages_check.mjs <llama base url> <gateway origin> <gateway token>

import assert from 'node:assert/strict';

const [llamaBase, gatewayOrigin, token] = process.argv.slice(2);
const text = 'Hello there, tell me something.';

async function post(url, body, headers = {}) {
    return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers },
                        body: JSON.stringify(body) });
}

const direct = await (await post(`${llamaBase}/chat/completions`,
    { model: 'tiny', messages: [{ role: 'user', content: text }], temperature: 0, max_tokens: 24 })).json();
const expected = direct.choices[0].message.content;
assert.ok(expected.length > 0, 'llama-server answered nothing');
const stop = { stop: 'end_turn', length: 'max_tokens' }[direct.choices[0].finish_reason];

const anthropic = { 'x-api-key': token, 'anthropic-version': '2023-06-01' };
const request = { model: 'claude-sonnet-4-5', max_tokens: 24, temperature: 0,
                  messages: [{ role: 'user', content: [{ type: 'text', text }] }] };
let r = await post(`${gatewayOrigin}/v1/messages?beta=true`, request, anthropic);
assert.equal(r.status, 200, await r.clone().text());
const message = await r.json();
assert.equal(message.type, 'message');
assert.equal(message.model, 'claude-sonnet-4-5');
assert.deepEqual(message.content, [{ type: 'text', text: expected }]);
assert.equal(message.stop_reason, stop);
assert.equal(message.usage.input_tokens, direct.usage.prompt_tokens);
assert.equal(message.usage.output_tokens, direct.usage.completion_tokens);
console.log(`   /v1/messages: ${JSON.stringify(expected)} (${message.stop_reason})`);

r = await post(`${gatewayOrigin}/v1/messages`, { ...request, stream: true }, anthropic);
assert.equal(r.status, 200);
assert.match(r.headers.get('content-type'), /^text\/event-stream/);
const raw = await r.text();
const events = raw.split('\n\n').filter((f) => f.length > 0).map((f) => {
    const [eventLine, dataLine] = f.split('\n');
    const json = JSON.parse(dataLine.slice('data: '.length));
    assert.equal(eventLine, `event: ${json.type}`);
    return json;
});
const types = events.map((e) => e.type).filter((t) => t !== 'ping');
assert.equal(types[0], 'message_start');
assert.deepEqual(types.slice(-2), ['message_delta', 'message_stop']);
const streamed = events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.text).join('');
assert.equal(streamed, expected);
assert.equal(events.find((e) => e.type === 'message_delta').delta.stop_reason, stop);
console.log(`   /v1/messages streamed: ${types.length} events`);
console.log('   messages relay matches llama-server');
