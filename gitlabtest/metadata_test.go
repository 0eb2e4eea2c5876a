package gitlabtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// TestServerServesVersionAndMetadata: GET /version and GET /metadata
// answer as lib/api/metadata.rb does, to any authenticated user whose
// token has api, read_api, read_user or ai_features; 401 anonymously.
func TestServerServesVersionAndMetadata(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	id, userTok := s.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	want := `{"version":"` + gitlabtest.GitLabVersion + `","revision":"` + gitlabtest.GitLabRevision +
		`","kas":{"enabled":false,"externalUrl":null,"externalK8sProxyUrl":null,"version":null},"enterprise":true}`
	for _, path := range []string{"/version", "/metadata"} {
		for _, tok := range []string{s.AdminToken(), userTok,
			s.CreatePersonalToken(id, "read_user"), s.CreatePersonalToken(id, "ai_features"), s.CreatePersonalToken(id, "read_api")} {
			a := fakeCall(t, s, tok, "GET", path, nil)
			assert.Equal(t, "200 "+want, a.status(), path)
		}
		a := fakeCall(t, s, "", "GET", path, nil)
		assert.Equal(t, `401 {"message":"401 Unauthorized"}`, a.status(), path)
		a = fakeCall(t, s, s.CreatePersonalToken(id, "read_repository"), "GET", path, nil)
		assert.Equal(t, `403 {"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api read_api read_user ai_features"}`, a.status(), path)
		a = fakeCall(t, s, s.AdminToken(), "HEAD", path, nil)
		assert.Equal(t, 200, a.code, path)
	}
	assert.Regexp(t, `^\d+\.\d+\.\d+-ee$`, gitlabtest.GitLabVersion)

	old := gitlabtest.NewServer(gitlabtest.WithVersion("17.11.3"))
	defer old.Close()
	a := fakeCall(t, old, old.AdminToken(), "GET", "/version", nil)
	assert.Equal(t, `200 {"version":"17.11.3","revision":"`+gitlabtest.GitLabRevision+
		`","kas":{"enabled":false,"externalUrl":null,"externalK8sProxyUrl":null,"version":null},"enterprise":false}`, a.status())
}
