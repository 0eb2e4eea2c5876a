# Create carol with her key, attribute and token, then block her.
# terraform test destroys what it created when the file ends.
run "create" {
  assert {
    condition     = gitlab_user.carol.state == "active"
    error_message = "carol is ${gitlab_user.carol.state}"
  }
  assert {
    condition     = gitlab_user_sshkey.carol_laptop.key_id > 0
    error_message = "no key ID"
  }
  assert {
    condition     = startswith(gitlab_personal_access_token.carol_ci.token, "glpat-")
    error_message = "the token has no secret"
  }
}

run "block" {
  variables {
    carol_state = "blocked"
  }
  assert {
    condition     = gitlab_user.carol.state == "blocked"
    error_message = "carol is ${gitlab_user.carol.state}"
  }
}
