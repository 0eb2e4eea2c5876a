package gitlabtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Defects that clients in other languages (docs/testing-with-gitlabfake.md)
// found in the fake, each test named after what GitLab does.

// Terraform's gitlab_project polls GET /projects/:id/import until
// import_status is "finished" unless the created project says "none";
// GitLab always exposes it (lib/api/entities/project.rb), "none" when
// nothing was imported (Project#import_status, app/models/project.rb).
func TestProjectImportStatusIsNoneWithoutImport(t *testing.T) {
	t.Parallel()
	s, _, alice, _, _, _ := gpServer(t)
	created := fakeCall(t, s, alice, "POST", "/projects", form("name", "ledger"))
	require.Equal(t, 201, created.code, created.body)
	assert.Equal(t, "none", created.object(t)["import_status"])
	got := fakeCall(t, s, alice, "GET", "/projects/alice%2Fledger", nil)
	require.Equal(t, 200, got.code, got.body)
	assert.Equal(t, "none", got.object(t)["import_status"])
}
