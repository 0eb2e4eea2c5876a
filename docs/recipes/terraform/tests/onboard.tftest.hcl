# Onboard alice into a group tree Terraform makes (the module in ./onboard),
# then raise her level. terraform test destroys it all when the file ends.
run "onboard" {
  module {
    source = "./onboard"
  }
  assert {
    condition     = gitlab_project.ledger.path_with_namespace == "payments/backend/ledger"
    error_message = "the project is at ${gitlab_project.ledger.path_with_namespace}"
  }
  # root created the groups, so GitLab made root their owner.
  assert {
    condition     = output.backend_levels == { root = "owner", alice = "developer" }
    error_message = "backend's effective members: ${jsonencode(output.backend_levels)}"
  }
}

run "raise" {
  module {
    source = "./onboard"
  }
  variables {
    alice_level = "maintainer"
  }
  assert {
    condition     = output.backend_levels == { root = "owner", alice = "maintainer" }
    error_message = "backend's effective members: ${jsonencode(output.backend_levels)}"
  }
}
