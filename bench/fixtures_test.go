package bench

import (
	"bytes"
	"fmt"
)

// The fixtures are GitLab's admin user from the users API docs ("For
// admin") completed with every field current GitLab sends to an
// administrator (lib/api/entities/user_with_admin.rb and the entities it
// extends, CE and EE): UserWithAdmin for lists,
// UserDetailsWithAdmin (adds highest_role, sign-in IPs, sign_in_count and
// the .com plan/trial) for GET /users/:id.

// userCore is UserWithAdmin (plus EE fields), the entity of admin lists.
// Verbs: id, username, name, public_email, username (avatar), username
// (web_url), email, commit_email, namespace_id.
const userCore = `{
  "id": %[1]d,
  "username": "%[2]s",
  "public_email": "%[2]s@example.com",
  "name": "%[3]s",
  "state": "active",
  "locked": false,
  "avatar_url": "https://gitlab.example.com/uploads/-/system/user/avatar/%[1]d/avatar.png",
  "web_url": "https://gitlab.example.com/%[2]s",
  "created_at": "2012-05-23T08:00:58.000Z",
  "bio": "Operations engineer. Keeps the lights on.",
  "location": "Lisbon, Portugal",
  "skype": "%[2]s.skype",
  "linkedin": "%[2]s-linkedin",
  "twitter": "%[2]s_tw",
  "discord": "812345678901234567",
  "website_url": "https://%[2]s.example.com",
  "organization": "Example Corp",
  "job_title": "Operations Specialist",
  "pronouns": "they/them",
  "bot": false,
  "work_information": "Operations Specialist at Example Corp",
  "followers": 7,
  "following": 4,
  "is_followed": false,
  "local_time": "10:15 AM",
  "last_sign_in_at": "2012-06-01T11:41:01.000Z",
  "confirmed_at": "2012-05-23T09:05:22.000Z",
  "last_activity_on": "2012-05-23",
  "email": "%[2]s@example.com",
  "theme_id": 1,
  "color_scheme_id": 2,
  "projects_limit": 100,
  "current_sign_in_at": "2012-06-02T06:36:55.000Z",
  "identities": [
    {"provider": "github", "extern_uid": "2435223452345"},
    {"provider": "bitbucket", "extern_uid": "%[2]s"},
    {"provider": "google_oauth2", "extern_uid": "8776128412476123468721346"}
  ],
  "can_create_group": true,
  "can_create_project": true,
  "two_factor_enabled": true,
  "external": false,
  "private_profile": false,
  "commit_email": "%[2]s.commits@example.com",
  "preferred_language": "en",
  "shared_runners_minutes_limit": 133,
  "extra_shared_runners_minutes_limit": null,
  "is_auditor": false,
  "using_license_seat": true,
  "provisioned_by_group_id": null,
  "enterprise_group_id": null,
  "is_admin": false,
  "note": "DMCA Request: 2018-11-05 | DMCA Violation | Abuse | https://gitlab.zendesk.com/agent/tickets/123",
  "namespace_id": %[4]d,
  "created_by": {
    "id": 9,
    "username": "root",
    "public_email": "admin@example.com",
    "name": "Administrator",
    "state": "active",
    "locked": false,
    "avatar_url": "https://gitlab.example.com/uploads/-/system/user/avatar/9/avatar.png",
    "web_url": "https://gitlab.example.com/root"
  },
  "email_reset_offered_at": null,
  "provisioned_by_project_id": null`

// userDetails are the fields UserDetailsWithAdmin adds for GET /users/:id.
const userDetails = `,
  "highest_role": 40,
  "current_sign_in_ip": "196.165.1.102",
  "last_sign_in_ip": "172.127.2.22",
  "sign_in_count": 1337,
  "plan": "gold",
  "trial": true`

func writeUser(b *bytes.Buffer, id int, details bool) {
	fmt.Fprintf(b, userCore, id, fmt.Sprintf("user%d", id), fmt.Sprintf("User Number %d", id), 1000+id)
	if details {
		b.WriteString(userDetails)
	}
	b.WriteString("\n}")
}

// adminUserBody is the body of GET /users/:id for an administrator.
func adminUserBody(id int) []byte {
	var b bytes.Buffer
	writeUser(&b, id, true)
	return b.Bytes()
}

// adminUsersPage is a page of GET /users for an administrator: n users
// with ids first, first+1, ...
func adminUsersPage(first, n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		writeUser(&b, first+i, false)
	}
	b.WriteByte(']')
	return b.Bytes()
}

var (
	userBody   = adminUserBody(1)
	users100   = adminUsersPage(1, 100)
	notFound   = []byte(`{"message":"404 User Not Found"}`)
	testToken  = "glpat-benchmarktoken0000"
	memBaseURL = "https://gitlab.example.com"
)
