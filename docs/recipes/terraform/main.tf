# The configuration under test: a user with an SSH key, a custom attribute
# and a token, and a seeded user read back. The provider takes its URL and
# token from GITLAB_BASE_URL and GITLAB_TOKEN, which run.sh sets from the
# line gitlabfake -json prints.
terraform {
  required_providers {
    gitlab = { source = "gitlabhq/gitlab" }
  }
}

provider "gitlab" {}

variable "carol_state" {
  type    = string
  default = "active"
}

variable "token_expires_at" {
  type        = string
  description = "YYYY-MM-DD, within a year from today (GitLab's maximum lifetime)"
}

resource "gitlab_user" "carol" {
  name     = "Carol Example"
  username = "carol"
  email    = "carol@example.com"
  password = "mv7Q-ps4L-dj9T-wc2B"
  state    = var.carol_state
}

resource "gitlab_user_sshkey" "carol_laptop" {
  user_id = gitlab_user.carol.id
  title   = "laptop"
  key     = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDke9KWf9n+duQGpFvL49tBpeCVPMFjxp/YkxkKlEp1w carol-laptop"
}

resource "gitlab_user_custom_attribute" "carol_team" {
  user  = gitlab_user.carol.id
  key   = "team"
  value = "platform"
}

resource "gitlab_personal_access_token" "carol_ci" {
  user_id    = gitlab_user.carol.id
  name       = "ci"
  scopes     = ["read_api"]
  expires_at = var.token_expires_at
}

# alice comes from the seed file.
data "gitlab_user" "alice" {
  username = "alice"
}

output "carol_id" {
  value = gitlab_user.carol.id
}
