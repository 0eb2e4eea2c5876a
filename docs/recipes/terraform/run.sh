#!/usr/bin/env bash
# Runs the Terraform tests against gitlabfake: starts it seeded from
# ../seed.json, points the provider at it, and resets it before each
# test file. GITLABFAKE is the gitlabfake binary (default: on PATH).
set -euo pipefail
cd "$(dirname "$0")"

coproc FAKE { exec "${GITLABFAKE:-gitlabfake}" -json -seed ../seed.json; }
trap 'kill -TERM "$FAKE_PID"; wait "$FAKE_PID"' EXIT
read -r ready <&"${FAKE[0]}"
echo "gitlabfake: $(jq -c '{url, pid}' <<<"$ready")"

export GITLAB_BASE_URL GITLAB_TOKEN
GITLAB_BASE_URL=$(jq -r .api_url <<<"$ready")/
GITLAB_TOKEN=$(jq -r .admin_token <<<"$ready")
export TF_VAR_token_expires_at
TF_VAR_token_expires_at=$(date -u -d '+30 days' +%F)

for file in tests/*.tftest.hcl; do
  curl -fsS -X POST -H "PRIVATE-TOKEN: $GITLAB_TOKEN" "${GITLAB_BASE_URL%/api/v4/}/-/gitlabfake/reset"
  terraform test -filter="$file"
done
