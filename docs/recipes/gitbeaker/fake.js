// The harness the test files share: one gitlabfake per test file (node --test
// runs each file in its own process), seeded from ../seed.json, reset before
// every test. GITLABFAKE is the gitlabfake binary (default: on PATH).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { after, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Gitlab } from '@gitbeaker/rest';

const SEED = new URL('../seed.json', import.meta.url).pathname;

// useGitlabfake registers the hooks and returns an object that holds, once
// the fake is ready, the line gitlabfake -json prints ({ url, api_url,
// admin_token, pid }) and api, an administrator's client.
export function useGitlabfake() {
  const fake = {};
  let proc;

  before(async () => {
    proc = spawn(process.env.GITLABFAKE ?? 'gitlabfake', ['-json', '-seed', SEED], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = await once(createInterface({ input: proc.stdout }), 'line');
    Object.assign(fake, JSON.parse(line));
    fake.api = new Gitlab({ host: fake.url, token: fake.admin_token });
  });

  after(async () => {
    proc.kill('SIGTERM'); // gitlabfake stops cleanly
    await once(proc, 'exit');
  });

  // Every test starts from the seed.
  beforeEach(async () => {
    const res = await fetch(`${fake.url}/-/gitlabfake/reset`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': fake.admin_token },
    });
    assert.equal(res.status, 204);
  });

  return fake;
}
