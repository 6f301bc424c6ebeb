// Codex CLI (npm `@openai/codex`, its Linux binary inside the package) against the built binary:
// `codex exec` with a model_providers entry whose base_url is the gateway and wire_api =
// "responses", on the echo agent. Its HOME and CODEX_HOME are temporary, so it reads only this
// config. The echo agent answers with the built prompt: the output holds what we asked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { startGateway, TOKEN } from './gateway.mjs';

let gw;
before(async () => { gw = await startGateway(); });
after(async () => { assert.equal(await gw.stop(), 0); });

function codexBinary() {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@openai/codex/package.json')), 'bin', 'codex.js');
}

test('codex exec answers through /v1/responses', async () => {
  const home = mkdtempSync(join(tmpdir(), 'passerelle-codex-'));
  const codexHome = join(home, '.codex');
  mkdirSync(codexHome);
  writeFileSync(join(codexHome, 'config.toml'), `
model = "openclaw"
model_provider = "passerelle"

[model_providers.passerelle]
name = "Passerelle"
base_url = "${gw.baseURL}"
env_key = "PASSERELLE_TOKEN"
wire_api = "responses"
`);
  const work = join(home, 'work');
  mkdirSync(work);
  const prompt = 'Reply with the words purple elephant';
  const child = spawn(process.execPath, [codexBinary(), 'exec', '--skip-git-repo-check', '--cd', work, prompt], {
    env: { PATH: process.env.PATH, HOME: home, CODEX_HOME: codexHome, PASSERELLE_TOKEN: TOKEN, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => { stdout += c; });
  child.stderr.on('data', (c) => { stderr += c; });
  const code = await new Promise((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve('timeout'); }, 120000);
    child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  assert.equal(code, 0, `codex exited ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  // The final message codex prints is the echo agent's reply: the prompt built from its input.
  assert.ok(stdout.includes(`[Current message - respond to this]\nUser: ${prompt}`),
    `the echoed prompt is in codex's output:\n${stdout}\nstderr:\n${stderr}`);
});
