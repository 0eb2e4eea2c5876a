"""pytest fixtures that run gitlabfake for python-gitlab tests.

Set GITLABFAKE to the gitlabfake binary (default: gitlabfake on PATH):

    go install github.com/gitlabusers/gitlab/cmd/gitlabfake@latest
    pytest -v
"""

import json
import os
import pathlib
import subprocess

import gitlab
import pytest
import requests

SEED = pathlib.Path(__file__).parent.parent / "seed.json"


@pytest.fixture(scope="session")
def fake():
    """One gitlabfake for the whole session, seeded from ../seed.json.

    Yields the line gitlabfake -json prints when it is ready:
    {"url": ..., "api_url": ..., "admin_token": ..., "pid": ...}.
    """
    proc = subprocess.Popen(
        [os.environ.get("GITLABFAKE", "gitlabfake"), "-json", "-seed", str(SEED)],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        pytest.fail(f"gitlabfake exited with status {proc.returncode} before it was ready")
    yield json.loads(line)
    proc.terminate()  # SIGTERM: gitlabfake stops cleanly
    proc.wait(timeout=5)


@pytest.fixture
def gl(fake):
    """An administrator's client on the seeded state: every test starts from the seed."""
    reset = requests.post(
        fake["url"] + "/-/gitlabfake/reset",
        headers={"PRIVATE-TOKEN": fake["admin_token"]},
        timeout=5,
    )
    assert reset.status_code == 204, reset.text
    client = gitlab.Gitlab(fake["url"], private_token=fake["admin_token"])
    client.auth()  # GET /api/v4/user: fails at once on a wrong URL or token
    return client


@pytest.fixture
def as_user(fake):
    """Returns a client that acts with a given token, e.g. a seeded user's."""
    return lambda token: gitlab.Gitlab(fake["url"], private_token=token)
