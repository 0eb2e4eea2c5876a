package gitlabtest

import "github.com/gitlabusers/gitlab/gitlabtest/internal/model"

// memberRoutes are the routes of lib/api/members.rb, ee/lib/ee/api/
// members.rb, lib/api/invitations.rb and lib/api/access_requests.rb,
// for groups and projects (:ref is an ID or a URL-encoded full path).
// Every one authenticates first (401), then validates its parameters
// (400), then finds the group or project (404), then checks the
// caller's permission (403, or 400 for the EE seat endpoints). A fixed
// segment ("all", "approve_all") comes before a parameter in the same
// place, so that it matches first.
var memberRoutes = []struct {
	method, pattern string
	group           authGroup
	handler         func(*reqCtx) answer
}{
	{"GET", "/groups/:ref/members/all", groupAPI, hListMembers(true, true)},
	{"GET", "/groups/:ref/members/all/:user_id", groupAPI, hGetMember(true, true)},
	{"POST", "/groups/:ref/members/approve_all", groupAPI, hApproveAll},
	{"GET", "/groups/:ref/members", groupAPI, hListMembers(true, false)},
	{"GET", "/groups/:ref/members/:user_id", groupAPI, hGetMember(true, false)},
	{"POST", "/groups/:ref/members", groupAPI, hAddMember(true)},
	{"PUT", "/groups/:ref/members/:user_id", groupAPI, hUpdateMember(true)},
	{"DELETE", "/groups/:ref/members/:user_id", groupAPI, hRemoveMember(true)},
	{"GET", "/projects/:ref/members/all", groupAPI, hListMembers(false, true)},
	{"GET", "/projects/:ref/members/all/:user_id", groupAPI, hGetMember(false, true)},
	{"GET", "/projects/:ref/members", groupAPI, hListMembers(false, false)},
	{"GET", "/projects/:ref/members/:user_id", groupAPI, hGetMember(false, false)},
	{"POST", "/projects/:ref/members", groupAPI, hAddMember(false)},
	{"PUT", "/projects/:ref/members/:user_id", groupAPI, hUpdateMember(false)},
	{"DELETE", "/projects/:ref/members/:user_id", groupAPI, hRemoveMember(false)},

	{"GET", "/groups/:ref/pending_members", groupAPI, hPendingMembers},
	{"PUT", "/groups/:ref/members/:member_id/approve", groupAPI, groupIDOp("member_id", (*model.Store).ApproveMember)},
	{"GET", "/groups/:ref/billable_members", groupAPI, hBillableMembers},
	{"GET", "/groups/:ref/billable_members/:user_id/memberships", groupAPI, hBillableMemberships(false)},
	{"GET", "/groups/:ref/billable_members/:user_id/indirect", groupAPI, hBillableMemberships(true)},
	{"DELETE", "/groups/:ref/billable_members/:user_id", groupAPI, groupIDOp("user_id", (*model.Store).RemoveBillable)},
	{"POST", "/groups/:ref/members/:user_id/override", groupAPI, hOverride(true)},
	{"DELETE", "/groups/:ref/members/:user_id/override", groupAPI, hOverride(false)},
	{"PUT", "/groups/:ref/members/:user_id/state", groupAPI, hMemberState},

	{"POST", "/groups/:ref/invitations", groupAPI, hCreateInvitations(true)},
	{"GET", "/groups/:ref/invitations", groupAPI, hListInvitations(true)},
	{"PUT", "/groups/:ref/invitations/:email", groupAPI, hUpdateInvitation(true)},
	{"DELETE", "/groups/:ref/invitations/:email", groupAPI, hDeleteInvitation(true)},
	{"POST", "/projects/:ref/invitations", groupAPI, hCreateInvitations(false)},
	{"GET", "/projects/:ref/invitations", groupAPI, hListInvitations(false)},
	{"PUT", "/projects/:ref/invitations/:email", groupAPI, hUpdateInvitation(false)},
	{"DELETE", "/projects/:ref/invitations/:email", groupAPI, hDeleteInvitation(false)},

	{"GET", "/groups/:ref/access_requests", groupAPI, hListAccessRequests(true)},
	{"POST", "/groups/:ref/access_requests", groupAPI, hRequestAccess(true)},
	{"PUT", "/groups/:ref/access_requests/:user_id/approve", groupAPI, hApproveAccessRequest(true)},
	{"DELETE", "/groups/:ref/access_requests/:user_id", groupAPI, hDenyAccessRequest(true)},
	{"GET", "/projects/:ref/access_requests", groupAPI, hListAccessRequests(false)},
	{"POST", "/projects/:ref/access_requests", groupAPI, hRequestAccess(false)},
	{"PUT", "/projects/:ref/access_requests/:user_id/approve", groupAPI, hApproveAccessRequest(false)},
	{"DELETE", "/projects/:ref/access_requests/:user_id", groupAPI, hDenyAccessRequest(false)},
}
