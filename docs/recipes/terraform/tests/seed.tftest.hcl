# The seed is there: a plan reads the seeded alice.
run "seeded_alice" {
  command = plan

  assert {
    condition     = data.gitlab_user.alice.email == "alice@example.com"
    error_message = "seeded alice has email ${data.gitlab_user.alice.email}"
  }
  assert {
    condition     = data.gitlab_user.alice.state == "active"
    error_message = "seeded alice is ${data.gitlab_user.alice.state}"
  }
}
