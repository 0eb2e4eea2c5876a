// gitbeaker against gitlabfake: onboarding into a group tree, members, an invitation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessLevel, Gitlab } from '@gitbeaker/rest';
import { useGitlabfake } from './fake.js';

const { DEVELOPER, MAINTAINER, OWNER, REPORTER } = AccessLevel;
const ALICE_TOKEN = 'glpat-alice-secret-0001'; // from ../seed.json

const fake = useGitlabfake(); // fake.api is an administrator's client

// The code under test: give a user a level in a group, adding or updating the member.
async function onboard(gitlab, username, groupPath, level) {
  const [user] = await gitlab.Users.all({ username });
  const members = await gitlab.GroupMembers.all(groupPath);
  if (members.some((m) => m.id === user.id)) {
    return gitlab.GroupMembers.edit(groupPath, user.id, level);
  }
  return gitlab.GroupMembers.add(groupPath, level, { userId: user.id });
}

const levels = (members) => Object.fromEntries(members.map((m) => [m.username, m.access_level]));

test('onboard', async () => {
  const { api } = fake;
  // Set up the tree through the client: payments, payments/backend, payments/backend/ledger.
  const group = await api.Groups.create('Payments', 'payments');
  const sub = await api.Groups.create('Backend', 'backend', { parentId: group.id });
  const project = await api.Projects.create({ name: 'ledger', namespaceId: sub.id });
  assert.equal(sub.full_path, 'payments/backend');
  assert.equal(project.path_with_namespace, 'payments/backend/ledger');
  const [alice] = await api.Users.all({ username: 'alice' });
  const asAlice = new Gitlab({ host: fake.url, token: ALICE_TOKEN });
  const notFound = (err) => err.cause.response.status === 404;
  await assert.rejects(asAlice.Projects.show(project.id), notFound); // not a member yet

  await onboard(api, 'alice', 'payments', DEVELOPER);

  // The creator (root) is the group's owner; alice is a direct member of payments
  // and inherits her level in the subgroup and its project.
  assert.deepEqual(levels(await api.GroupMembers.all(group.id)), { root: OWNER, alice: DEVELOPER });
  assert.deepEqual(levels(await api.GroupMembers.all(sub.id)), { root: OWNER });
  assert.deepEqual(levels(await api.GroupMembers.all(sub.id, { includeInherited: true })), {
    root: OWNER,
    alice: DEVELOPER,
  });
  const inherited = await api.ProjectMembers.show(project.id, alice.id, { includeInherited: true });
  assert.equal(inherited.access_level, DEVELOPER);
  assert.equal((await asAlice.Projects.show(project.id)).path_with_namespace, 'payments/backend/ledger');

  await onboard(api, 'alice', 'payments', MAINTAINER); // a second run updates the level
  assert.equal((await api.GroupMembers.show(group.id, alice.id)).access_level, MAINTAINER);
  const raised = await api.ProjectMembers.show(project.id, alice.id, { includeInherited: true });
  assert.equal(raised.access_level, MAINTAINER);

  await api.GroupMembers.remove(group.id, alice.id); // offboarding
  assert.deepEqual(levels(await api.GroupMembers.all(sub.id, { includeInherited: true })), { root: OWNER });
  await assert.rejects(asAlice.Projects.show(project.id), notFound);
});

test('an invitation by email', async () => {
  const { api } = fake;
  const group = await api.Groups.create('Payments', 'payments');

  // An email no user has: the invitation waits for its owner to sign up.
  await api.GroupInvitations.add(group.id, REPORTER, { email: 'erin@example.com' });
  const invitations = await api.GroupInvitations.all(group.id);
  assert.deepEqual(
    invitations.map((i) => [i.invite_email, i.access_level]),
    [['erin@example.com', REPORTER]],
  );
  assert.deepEqual(levels(await api.GroupMembers.all(group.id)), { root: OWNER });

  // An existing user's email: GitLab adds them at once.
  await api.GroupInvitations.add(group.id, DEVELOPER, { email: 'alice@example.com' });
  assert.deepEqual(levels(await api.GroupMembers.all(group.id)), { root: OWNER, alice: DEVELOPER });

  await api.GroupInvitations.edit(group.id, 'erin@example.com', { accessLevel: DEVELOPER });
  const edited = await api.GroupInvitations.all(group.id);
  assert.deepEqual(edited.map((i) => i.access_level), [DEVELOPER]);
  await api.GroupInvitations.remove(group.id, 'erin@example.com');
  assert.deepEqual(await api.GroupInvitations.all(group.id), []);
});
