"""python-gitlab against gitlabfake: onboarding into a group tree, members, an invitation."""

import gitlab
import pytest
from gitlab.const import DEVELOPER_ACCESS, MAINTAINER_ACCESS, OWNER_ACCESS, REPORTER_ACCESS

ALICE_TOKEN = "glpat-alice-secret-0001"  # from ../seed.json


def onboard(gl, username, group_path, level):
    """The code under test: give a user a level in a group, adding or updating the member."""
    user = gl.users.list(username=username)[0]
    group = gl.groups.get(group_path)
    try:
        member = group.members.get(user.id)
    except gitlab.GitlabGetError:
        return group.members.create({"user_id": user.id, "access_level": level})
    member.access_level = level
    member.save()
    return member


def levels(members):
    return {m.username: m.access_level for m in members}


def test_onboard(gl, as_user):
    # Set up the tree through the client: payments, payments/backend, payments/backend/ledger.
    group = gl.groups.create({"name": "Payments", "path": "payments"})
    sub = gl.groups.create({"name": "Backend", "path": "backend", "parent_id": group.id})
    project = gl.projects.create({"name": "ledger", "namespace_id": sub.id})
    assert sub.full_path == "payments/backend"
    assert project.path_with_namespace == "payments/backend/ledger"
    alice = gl.users.list(username="alice")[0]
    as_alice = as_user(ALICE_TOKEN)
    with pytest.raises(gitlab.GitlabGetError):  # not a member yet: 404
        as_alice.projects.get(project.id)

    onboard(gl, "alice", "payments", DEVELOPER_ACCESS)

    # The creator (root) is the group's owner; alice is a direct member of payments
    # and inherits her level in the subgroup and its project.
    assert levels(group.members.list()) == {"root": OWNER_ACCESS, "alice": DEVELOPER_ACCESS}
    assert levels(sub.members.list()) == {"root": OWNER_ACCESS}
    assert levels(sub.members_all.list()) == {"root": OWNER_ACCESS, "alice": DEVELOPER_ACCESS}
    assert project.members_all.get(alice.id).access_level == DEVELOPER_ACCESS
    assert as_alice.projects.get(project.id).path_with_namespace == "payments/backend/ledger"

    onboard(gl, "alice", "payments", MAINTAINER_ACCESS)  # a second run updates the level
    assert group.members.get(alice.id).access_level == MAINTAINER_ACCESS
    assert project.members_all.get(alice.id).access_level == MAINTAINER_ACCESS

    group.members.delete(alice.id)  # offboarding
    assert levels(sub.members_all.list()) == {"root": OWNER_ACCESS}
    with pytest.raises(gitlab.GitlabGetError):
        as_alice.projects.get(project.id)


def test_invitation(gl):
    group = gl.groups.create({"name": "Payments", "path": "payments"})

    # An email no user has: the invitation waits for its owner to sign up.
    group.invitations.create({"email": "erin@example.com", "access_level": REPORTER_ACCESS})
    assert [(i.invite_email, i.access_level) for i in group.invitations.list()] == [
        ("erin@example.com", REPORTER_ACCESS)
    ]
    assert levels(group.members.list()) == {"root": OWNER_ACCESS}

    # An existing user's email: GitLab adds them at once.
    group.invitations.create({"email": "alice@example.com", "access_level": DEVELOPER_ACCESS})
    assert levels(group.members.list()) == {"root": OWNER_ACCESS, "alice": DEVELOPER_ACCESS}

    invitation = group.invitations.get("erin@example.com", lazy=True)
    invitation.access_level = DEVELOPER_ACCESS
    invitation.save()
    assert [i.access_level for i in group.invitations.list()] == [DEVELOPER_ACCESS]
    # The answer has invite_email, not email (python-gitlab's ID for an invitation),
    # as GitLab's does: delete by the address.
    group.invitations.delete("erin@example.com")
    assert group.invitations.list() == []
