# Onboarding, the module tests/onboard.tftest.hcl applies: a group, a
# subgroup and a project made by Terraform, the seeded alice a member of the
# group and of the project, and the subgroup's effective members read back.
terraform {
  required_providers {
    gitlab = { source = "gitlabhq/gitlab" }
  }
}

variable "alice_level" {
  type    = string
  default = "developer"
}

data "gitlab_user" "alice" {
  username = "alice"
}

resource "gitlab_group" "payments" {
  name             = "Payments"
  path             = "payments"
  description      = "Money in, money out"
  visibility_level = "internal"
}

resource "gitlab_group" "backend" {
  name      = "Backend"
  path      = "backend"
  parent_id = gitlab_group.payments.id
}

resource "gitlab_project" "ledger" {
  name         = "ledger"
  namespace_id = gitlab_group.backend.id
  description  = "The books"
}

resource "gitlab_group_membership" "alice" {
  group_id     = gitlab_group.payments.id
  user_id      = data.gitlab_user.alice.id
  access_level = var.alice_level
  expires_at   = "2030-01-31"
  # Removing a group member also removes their direct memberships in its
  # subgroups and projects unless skip_subresources is set, as GitLab does:
  # without this, destroying both memberships at once fails with a 404 on
  # whichever comes second.
  skip_subresources_on_destroy = true
}

resource "gitlab_project_membership" "alice_ledger" {
  project      = gitlab_project.ledger.id
  user_id      = data.gitlab_user.alice.id
  access_level = "maintainer"
}

# The subgroup's effective members: its own and those inherited from payments.
data "gitlab_group_membership" "backend_all" {
  group_id   = gitlab_group.backend.id
  inherited  = true
  depends_on = [gitlab_group_membership.alice]
}

output "backend_levels" {
  value = { for m in data.gitlab_group_membership.backend_all.members : m.username => m.access_level }
}
