package gitlabtest_test

import (
	"strings"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// The member, invitation and access-request routes wait for the SDK's
// Members, Invitations and AccessRequests services: once a method calls
// one, checkRouteCoverage fails on its row here, which must then go.
func init() {
	for _, r := range gitlabtest.RouteKeys() {
		for _, part := range []string{"/members", "/pending_members", "/billable_members", "/invitations", "/access_requests"} {
			if strings.Contains(r, ":ref"+part) {
				servedWithoutSDK[r] = "the SDK's member services are not merged yet; members_test.go drives it"
			}
		}
	}
}
