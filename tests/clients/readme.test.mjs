// README.md's "Use it from…" snippets, taken from the file and run as a user would paste them
// (only the port changes): the official JS SDK, the AI SDK and LangChain JS on the pinned Node with
// the pinned packages, curl with bash. The echo agent's answers are the prompts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startGateway, TOKEN } from './gateway.mjs';
import { README_URL, readmeSnippet } from './readme.mjs';

const run = promisify(execFile);

let gw;
before(async () => { gw = await startGateway(); });
after(async () => { assert.equal(await gw.stop(), 0); });

function localised(name) {
  const code = readmeSnippet(name);
  assert.ok(code.includes(README_URL), `the ${name} snippet talks to ${README_URL}`);
  return code.replaceAll(README_URL, `http://127.0.0.1:${gw.port}`);
}

const env = () => ({ ...process.env, PASSERELLE_TOKEN: TOKEN });

// A JS snippet runs as a module file beside the suites, so that it imports the installed packages.
async function runJs(name) {
  const file = join(process.cwd(), `snippet-${name}.mjs`);
  writeFileSync(file, localised(name));
  const { stdout } = await run(process.execPath, [file], { env: env(), timeout: 30000 });
  return stdout;
}

test('the official OpenAI SDK (JavaScript) snippet', async () => {
  assert.equal(await runJs('openai-js'), 'Hello from the OpenAI SDK\nStream this answer\n');
});

test('the AI SDK snippet', async () => {
  assert.equal(await runJs('ai-sdk'), 'Hello from the AI SDK\nStream this answer\n');
});

test('the LangChain (JavaScript) snippet', async () => {
  assert.equal(await runJs('langchain-js'), 'Hello from LangChain\nStream this answer\n');
});

test('the curl snippet', async () => {
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', localised('curl')],
    { env: env(), timeout: 30000 });
  // First the JSON completion, then the SSE stream.
  const split = stdout.indexOf('data: ');
  assert.ok(split > 0, stdout);
  const completion = JSON.parse(stdout.slice(0, split));
  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.choices[0].message.content, 'Hello from curl');
  const frames = stdout.slice(split).split('\n\n').filter((f) => f.startsWith('data: '))
    .map((f) => f.slice(6));
  assert.equal(frames.at(-1), '[DONE]');
  const text = frames.slice(0, -1).map((f) => JSON.parse(f).choices[0]?.delta?.content ?? '').join('');
  assert.equal(text, 'Stream this answer');
});
