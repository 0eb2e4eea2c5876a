package gitlabtest

import (
	"net/http"
	"strings"
)

// GitLabVersion is the GitLab version the server reports in GET
// /version and GET /metadata unless WithVersion sets another: GitLab
// 19.6, released on 19 November 2026, Enterprise Edition.
const GitLabVersion = "19.6.0-ee"

// GitLabRevision is the revision the server reports beside its version.
// It has the shape of GitLab's (an 11-character commit hash) and is
// nobody's commit.
const GitLabRevision = "00000000000"

// hMetadata serves GET /metadata and its older name GET /version
// (lib/api/metadata.rb): Entities::Metadata as GraphQL's metadata query
// fills it (app/models/instance_metadata.rb). The fake runs no KAS, so
// kas is disabled and its other fields are null
// (InstanceMetadata::Kas sets them only when enabled); enterprise is
// Gitlab.ee?, which a version ending in -ee reports.
func hMetadata(c *reqCtx) answer {
	v := c.s.hot.Load().version
	kas := (&obj{}).set("enabled", false).set("externalUrl", nil).set("externalK8sProxyUrl", nil).set("version", nil)
	return reply(http.StatusOK, (&obj{}).set("version", v).set("revision", GitLabRevision).set("kas", kas).
		set("enterprise", strings.HasSuffix(v, "-ee")))
}
