// `@openai/agents` (its default model API is Responses) against the built binary: an agent with a
// function tool on a gateway agent whose model is the fake upstream (a node process of this test)
// that scripts a tool call; the SDK runs the tool, sends its result back, and gets the final text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, Runner, OpenAIProvider, tool, setTracingDisabled } from '@openai/agents';
import { z } from 'zod';
import { startGateway, TOKEN } from './gateway.mjs';
import { startFakeUpstream } from './fake-upstream.mjs';

let gw;
let upstream;
before(async () => {
  setTracingDisabled(true);
  upstream = await startFakeUpstream();
  gw = await startGateway(`
    agents: { list: [ { id: 'main', default: true, model: 'echo/echo' },
                      { id: 'weather', model: 'fake/model-w' } ] },
    models: { providers: { fake: { api: 'openai-completions', baseUrl: '${upstream.baseURL}',
                                   models: [{ id: 'model-w' }] } } },`);
});
after(async () => {
  assert.equal(await gw.stop(), 0);
  await upstream.stop();
});

test('an agent run with a function tool answered through the gateway', async () => {
  const calls = [];
  const getWeather = tool({
    name: 'get_weather',
    description: 'The weather of a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => { calls.push(city); return `sunny in ${city}`; },
  });
  const agent = new Agent({
    name: 'Weather helper', instructions: 'Answer with the weather.', model: 'openclaw/weather',
    tools: [getWeather],
  });
  const runner = new Runner({
    modelProvider: new OpenAIProvider({ apiKey: TOKEN, baseURL: gw.baseURL, useResponses: true }),
    tracingDisabled: true,
  });
  const result = await runner.run(agent, 'What is the weather in Paris?');
  assert.deepEqual(calls, ['Paris']);
  assert.equal(result.finalOutput, 'Weather report: sunny in Paris');
  // Upstream saw the tool round: the assistant's tool call, then the tool result with its id.
  assert.equal(upstream.requests.length, 2);
  const second = upstream.requests[1].messages;
  const assistant = second.find((m) => m.role === 'assistant');
  assert.equal(assistant.tool_calls[0].id, 'call_weather_1');
  assert.equal(assistant.tool_calls[0].function.name, 'get_weather');
  assert.equal(assistant.tool_calls[0].function.arguments, '{"city":"Paris"}');
  const toolMessage = second.at(-1);
  assert.equal(toolMessage.role, 'tool');
  assert.equal(toolMessage.tool_call_id, 'call_weather_1');
  assert.equal(toolMessage.content, 'sunny in Paris');
  assert.ok(second.indexOf(assistant) < second.indexOf(toolMessage));
  assert.equal(upstream.requests[0].tools[0].function.name, 'get_weather');
});
