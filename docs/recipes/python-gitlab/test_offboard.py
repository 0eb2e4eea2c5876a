"""python-gitlab against gitlabfake: the seed, the code under test, a reset."""

import datetime

import gitlab
import pytest

CI_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPbl8fEz4WtOzblxxM5JwwinWTDNiuUE4WSWQoI9FpyC alice-ci"


def offboard(gl, username):
    """The code under test: remove a user's keys and tokens, then block them."""
    user = gl.users.list(username=username)[0]
    for key in user.keys.list(get_all=True):
        key.delete()
    for token in gl.personal_access_tokens.list(user_id=user.id, state="active", get_all=True):
        token.delete()
    user.block()


def test_seed(gl, as_user):
    alice = gl.users.list(username="alice")[0]
    assert alice.state == "active"
    assert [k.title for k in alice.keys.list()] == ["laptop"]
    assert alice.customattributes.get("team").value == "platform"
    # GitLab lists the primary email first, then the secondary ones.
    assert [e.email for e in alice.emails.list()] == ["alice@example.com", "alice@corp.example"]
    assert gl.users.list(username="bob")[0].state == "blocked"

    me = as_user("glpat-alice-secret-0001")  # the seeded secret authenticates
    me.auth()
    assert me.user.username == "alice"


def test_offboard(gl, as_user):
    alice = gl.users.list(username="alice")[0]
    expires = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    alice.keys.create({"title": "ci", "key": CI_KEY})  # seed more through the client
    alice.impersonationtokens.create({"name": "support", "scopes": ["api"], "expires_at": expires})

    offboard(gl, "alice")

    alice = gl.users.get(alice.id)
    assert alice.state == "blocked"
    assert alice.keys.list() == []
    assert gl.personal_access_tokens.list(user_id=alice.id, state="active") == []
    with pytest.raises(gitlab.GitlabAuthenticationError):  # the seeded token is revoked: 401
        as_user("glpat-alice-ci-0002").auth()


def test_reset_restores_the_seed(gl):
    # test_offboard blocked alice and deleted her keys; the gl fixture's reset undid it,
    # so the key test_offboard added can be added again without a 400 "has already been taken".
    alice = gl.users.list(username="alice")[0]
    assert alice.state == "active"
    assert [k.title for k in alice.keys.list()] == ["laptop"]
    assert alice.keys.create({"title": "ci", "key": CI_KEY}).title == "ci"
