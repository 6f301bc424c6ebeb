// Claude Code itself (npm `@anthropic-ai/claude-code`, its native binary inside the package)
// against the built binary, as the README's "Claude Code on a local model" says: `claude -p` with
// ANTHROPIC_BASE_URL the gateway and ANTHROPIC_API_KEY its token, a temporary HOME, telemetry and
// non-essential traffic off, the echo agent behind `claude-*`. It exits 0 and prints the echo
// agent's reply: the prompt it was given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { startGateway, TOKEN } from './gateway.mjs';

let gw;
before(async () => {
  gw = await startGateway(`
    passerelle: { http: { endpoints: { messages: { enabled: true } } },
                  modelAliases: { 'claude-*': 'main' } },`);
});
after(async () => { assert.equal(await gw.stop(), 0); });

function claudeBinary() {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@anthropic-ai/claude-code/package.json')), 'bin', 'claude.exe');
}

test('claude -p answers through /v1/messages', async () => {
  const home = mkdtempSync(join(tmpdir(), 'passerelle-claude-'));
  const work = join(home, 'work');
  mkdirSync(work);
  const prompt = 'Reply with the words purple elephant';
  const child = spawn(claudeBinary(), ['-p', prompt], {
    cwd: work,
    env: {
      PATH: process.env.PATH, HOME: home,
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${gw.port}`, ANTHROPIC_API_KEY: TOKEN,
      DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', NO_COLOR: '1',
    },
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
  assert.equal(code, 0, `claude exited ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  // The echo agent answers with the built prompt: Claude Code's user turn, the prompt included.
  assert.ok(stdout.includes(prompt), `the echoed prompt is in claude's output:\n${stdout}\nstderr:\n${stderr}`);
});
