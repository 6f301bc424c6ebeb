// Asks llama-server directly, then the same through Passerelle (non-streaming and streaming), at
// temperature 0, and requires the relayed text, finish reason and token counts to be the same.
// Then two turns of a stable session: the second must carry the first upstream (more prompt tokens).
// Usage: node llama_server_check.mjs <llama base url> <gateway base url> <gateway token>

import assert from 'node:assert/strict';

const [llamaBase, gatewayBase, token] = process.argv.slice(2);
const messages = [{ role: 'user', content: 'Hello there, tell me something.' }];
const sampling = { temperature: 0, max_tokens: 24, seed: 7 };

async function timed(label, fn) {
    const t0 = performance.now();
    const result = await fn();
    console.log(`   ${label}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    return result;
}

async function post(url, body, auth) {
    const headers = { 'Content-Type': 'application/json' };
    if (auth) headers.Authorization = `Bearer ${auth}`;
    return fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function readSse(response) {
    const frames = [];
    const deltas = [];
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
    for (const f of frames) {
        const c = f !== '[DONE]' && f.choices?.[0]?.delta?.content;
        if (c) deltas.push(c);
    }
    return { frames, deltas };
}

const direct = await timed('direct non-streaming', async () => {
    const r = await post(`${llamaBase}/chat/completions`, { model: 'tiny', messages, ...sampling });
    assert.equal(r.status, 200);
    return r.json();
});
const expected = direct.choices[0].message.content;
assert.ok(expected.length > 0, 'llama-server answered nothing');
console.log(`   llama-server says: ${JSON.stringify(expected)} (${direct.choices[0].finish_reason}, ` +
            `${direct.usage.prompt_tokens}+${direct.usage.completion_tokens} tokens)`);

const relayed = await timed('through Passerelle, non-streaming', async () => {
    const r = await post(`${gatewayBase}/chat/completions`, { model: 'openclaw', messages, ...sampling }, token);
    assert.equal(r.status, 200, await r.clone().text());
    return r.json();
});
assert.equal(relayed.object, 'chat.completion');
assert.equal(relayed.model, 'openclaw');
assert.equal(relayed.choices[0].message.content, expected);
assert.equal(relayed.choices[0].finish_reason, direct.choices[0].finish_reason);
assert.equal(relayed.usage.prompt_tokens, direct.usage.prompt_tokens);
assert.equal(relayed.usage.completion_tokens, direct.usage.completion_tokens);

const streamed = await timed('through Passerelle, streaming', async () => {
    const r = await post(`${gatewayBase}/chat/completions`,
        { model: 'openclaw', messages, stream: true, stream_options: { include_usage: true }, ...sampling }, token);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/event-stream/);
    return readSse(r);
});
const { frames, deltas } = streamed;
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
console.log(`   streamed ${deltas.length} deltas`);

const first = await timed('session turn 1', async () => {
    const r = await post(`${gatewayBase}/chat/completions`,
        { model: 'openclaw', user: 'e2e', messages: [{ role: 'user', content: 'My name is Ann.' }], ...sampling }, token);
    assert.equal(r.status, 200);
    return r.json();
});
const second = await timed('session turn 2', async () => {
    const r = await post(`${gatewayBase}/chat/completions`,
        { model: 'openclaw', user: 'e2e', messages: [{ role: 'user', content: 'My name is Ann.' }], ...sampling }, token);
    assert.equal(r.status, 200);
    return r.json();
});
assert.ok(second.usage.prompt_tokens > first.usage.prompt_tokens + first.usage.completion_tokens,
          `turn 2 should carry turn 1 upstream (${first.usage.prompt_tokens} then ${second.usage.prompt_tokens} prompt tokens)`);
console.log(`   session: ${first.usage.prompt_tokens} then ${second.usage.prompt_tokens} prompt tokens`);
console.log('   relay matches llama-server');
