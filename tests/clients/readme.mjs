// The code blocks of README.md marked `<!-- snippet: NAME -->` (the line before the fence), for the
// tests that run them as a user would paste them.
import { readFileSync } from 'node:fs';

export const README_URL = 'http://127.0.0.1:18789';

export function readmeSnippet(name) {
  const readme = readFileSync(process.env.PASSERELLE_README, 'utf8');
  const marker = `<!-- snippet: ${name} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no snippet ${name}`);
  const fence = readme.slice(at + marker.length).match(/^\s*```[a-z0-9]*\n([\s\S]*?)\n```/);
  if (!fence) throw new Error(`README.md: no code block right after ${marker}`);
  return fence[1];
}

// A provider snippet (a JSON5 object of agents and models) as the inside of that object, for
// gateway.mjs's startGateway(extraConfig).
export function readmeConfigEntries(name) {
  const text = readmeSnippet(name);
  return text.slice(text.indexOf('{') + 1, text.lastIndexOf('}'));
}
