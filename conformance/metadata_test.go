package conformance

import (
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lib/api/metadata.rb: GET /metadata, and the deprecated GET /version
// with the same body, for any signed-in caller (authenticate!); an
// anonymous one gets 401. Entities::Metadata: version, revision, kas
// (InstanceMetadata::Kas, null fields when KAS is off) and enterprise.
func TestVersionAndMetadata(t *testing.T) {
	e := newEnv(t)
	_, jane := e.user(gitlabtest.UserSpec{Username: "jane"})

	v, resp, err := jane.Version.GetVersion()
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, gitlabtest.GitLabVersion, v.Version)
	assert.Equal(t, gitlabtest.GitLabRevision, v.Revision)

	m, _, err := jane.Metadata.GetMetadata()
	require.NoError(t, err)
	assert.Equal(t, gitlabtest.GitLabVersion, m.Version)
	assert.True(t, m.Enterprise)
	assert.False(t, m.KAS.Enabled)
	e.answered(200, `{"version":"`+gitlabtest.GitLabVersion+`","revision":"`+gitlabtest.GitLabRevision+
		`","kas":{"enabled":false,"externalUrl":null,"externalK8sProxyUrl":null,"version":null},"enterprise":true}`)

	_, _, err = e.client("").Version.GetVersion()
	e.refused(err, 401, `{"message":"401 Unauthorized"}`)
}
