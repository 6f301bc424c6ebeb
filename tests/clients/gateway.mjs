// Starts the built passerelle binary headless on a free port with a temporary config, for the
// real-client suites. Resolves once it prints its listening address.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TOKEN = 'client-test-token-42';

// options.auth: more keys of gateway.auth (say `rateLimit: {...}`); options.env: more environment.
export async function startGateway(extraConfig = '', options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'passerelle-client-'));
  const config = join(dir, 'passerelle.json');
  writeFileSync(config, `{
    gateway: { port: 0, auth: { mode: 'token', token: '${TOKEN}', ${options.auth ?? ''} },
               http: { endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } } } },
    ${extraConfig}
  }`);
  const child = spawn(process.env.PASSERELLE_BIN, ['--headless', '--config', config], {
    env: { ...process.env, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'cfg'),
           ...(options.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 15000);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => { output += c.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited ${code}:\n${output}`)); });
  });
  child.stdout.removeAllListeners('data');
  const log = { text: output };
  child.stdout.on('data', (c) => { log.text += c.toString(); });
  child.stderr.on('data', (c) => { log.text += c.toString(); });
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
  return { port, baseURL: `http://127.0.0.1:${port}/v1`, stop, dir, child, log };
}
