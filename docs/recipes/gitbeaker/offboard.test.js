// gitbeaker against gitlabfake, with Node's built-in test runner:
//   npm install && GITLABFAKE=/path/to/gitlabfake npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gitlab } from '@gitbeaker/rest';
import { useGitlabfake } from './fake.js';

const CI_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbl8fEz4WtOzblxxM5JwwinWTDNiuUE4WSWQoI9FpyC alice-ci';

const fake = useGitlabfake(); // fake.api is an administrator's client

// The code under test: remove a user's keys and tokens, then block them.
async function offboard(gitlab, username) {
  const [user] = await gitlab.Users.all({ username });
  for (const key of await gitlab.UserSSHKeys.all({ userId: user.id })) {
    await gitlab.UserSSHKeys.remove(key.id, { userId: user.id });
  }
  for (const token of await gitlab.PersonalAccessTokens.all({ userId: user.id, state: 'active' })) {
    await gitlab.PersonalAccessTokens.remove({ tokenId: token.id });
  }
  await gitlab.Users.block(user.id);
}

test('the seed', async () => {
  const { api } = fake;
  const [alice] = await api.Users.all({ username: 'alice' });
  assert.equal(alice.state, 'active');
  const keys = await api.UserSSHKeys.all({ userId: alice.id });
  assert.deepEqual(keys.map((k) => k.title), ['laptop']);
  assert.equal((await api.UserCustomAttributes.show(alice.id, 'team')).value, 'platform');
  const [bob] = await api.Users.all({ username: 'bob' });
  assert.equal(bob.state, 'blocked');

  const asAlice = new Gitlab({ host: fake.url, token: 'glpat-alice-secret-0001' });
  assert.equal((await asAlice.Users.showCurrentUser()).username, 'alice');
});

test('offboard', async () => {
  const { api } = fake;
  const [alice] = await api.Users.all({ username: 'alice' });
  const expiresAt = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
  await api.UserSSHKeys.create('ci', CI_KEY, { userId: alice.id }); // seed more through the client
  await api.UserImpersonationTokens.create(alice.id, 'support', ['api'], { expiresAt });

  await offboard(api, 'alice');

  assert.equal((await api.Users.show(alice.id)).state, 'blocked');
  assert.deepEqual(await api.UserSSHKeys.all({ userId: alice.id }), []);
  assert.deepEqual(await api.PersonalAccessTokens.all({ userId: alice.id, state: 'active' }), []);
  const asCI = new Gitlab({ host: fake.url, token: 'glpat-alice-ci-0002' });
  await assert.rejects(asCI.Users.showCurrentUser(), (err) => err.cause.response.status === 401);
});

test('a reset restores the seed', async () => {
  const { api } = fake;
  // 'offboard' blocked alice and deleted her keys; beforeEach's reset undid it, so the
  // key 'offboard' added can be added again without a 400 "has already been taken".
  const [alice] = await api.Users.all({ username: 'alice' });
  assert.equal(alice.state, 'active');
  const keys = await api.UserSSHKeys.all({ userId: alice.id });
  assert.deepEqual(keys.map((k) => k.title), ['laptop']);
  await api.UserSSHKeys.create('ci', CI_KEY, { userId: alice.id });
});
