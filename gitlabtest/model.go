package gitlabtest

import (
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// The types of what gitlabtest stores are its domain layer's
// (internal/model); these names are how tests see them. Their fields
// are documented there: go doc
// github.com/gitlabusers/gitlab/gitlabtest/internal/model.

// User states, as GitLab names them in the "state" field. They are the
// SDK's gitlab.UserState values, so UserSnapshot.State compares with
// either: u.State == gitlab.UserStateBlocked.
const (
	StateActive                 = gitlab.UserStateActive
	StateBlocked                = gitlab.UserStateBlocked
	StateLDAPBlocked            = gitlab.UserStateLDAPBlocked
	StateDeactivated            = gitlab.UserStateDeactivated
	StateBanned                 = gitlab.UserStateBanned
	StateBlockedPendingApproval = gitlab.UserStateBlockedPendingApproval
)

// UserMembership source types and access levels, as GitLab reports them in
// GET /users/:id/memberships.
const (
	SourceProject   = model.SourceProject
	SourceNamespace = model.SourceNamespace // a group

	AccessGuest      = model.AccessGuest
	AccessPlanner    = model.AccessPlanner
	AccessReporter   = model.AccessReporter
	AccessDeveloper  = model.AccessDeveloper
	AccessMaintainer = model.AccessMaintainer
	AccessOwner      = model.AccessOwner
)

type (
	// UserIdentity links a user to an external authentication provider.
	UserIdentity = model.Identity
	// UserMembership is a direct membership of a user in a project or a
	// group. A user who is the only AccessOwner of a group
	// (SourceNamespace) cannot be deleted without hard_delete, as on
	// GitLab.
	UserMembership = model.Membership
	// Counts are the numbers GET /user_counts reports for a user.
	Counts = model.Counts
	// Preferences are a user's preferences, as GET /user/preferences
	// reports them.
	Preferences = model.Preferences
	// SupportPINSnapshot is a user's support PIN: six digits that stop
	// being served at ExpiresAt (creation plus seven days, or the time
	// of a revoke).
	SupportPINSnapshot = model.SupportPIN
	// SSHKeySnapshot is a stored SSH key.
	SSHKeySnapshot = model.SSHKey
	// GPGKeySnapshot is a stored GPG key. Revoked keys are removed from
	// the store, as GitLab removes them from the user's list.
	GPGKeySnapshot = model.GPGKey
	// EmailSnapshot is one of a user's email addresses. Every user has a
	// Primary one (listed first), as in GitLab's emails table.
	EmailSnapshot = model.Email
	// StatusSnapshot is a user's stored status.
	StatusSnapshot = model.Status
	// TokenSnapshot is a stored access token: a personal one (seeded or
	// made through the API) or an impersonation token.
	TokenSnapshot = model.Token
	// GranularScope is one scope of a granular token.
	GranularScope = model.GranularScope
	// GroupSpec describes a group to seed with CreateGroup. Only Path is
	// required.
	GroupSpec = model.GroupSpec
	// GroupSnapshot is a stored group.
	GroupSnapshot = model.Group
	// ProjectSpec describes a project to seed with CreateProject. Path
	// and GroupID (or OwnerID, for a personal project) are required.
	ProjectSpec = model.ProjectSpec
	// ProjectSnapshot is a stored project.
	ProjectSnapshot = model.Project
)

// The domain's records under the HTTP layer's short names.
type (
	user    = model.User
	sshKey  = model.SSHKey
	gpgKey  = model.GPGKey
	email   = model.Email
	token   = model.Token
	group   = model.Group
	project = model.Project
)

// canReadProfile is the domain's read_user_profile ability, which the
// renderers apply.
func canReadProfile(viewer, u *user) bool { return model.CanReadProfile(viewer, u) }

// UserSnapshot is a snapshot of a stored user, for assertions: its State
// and its data, whose fields it promotes (ID, Username, Name, Email,
// Admin, Identities, Memberships, CreatedAt and the rest; go doc
// github.com/gitlabusers/gitlab/gitlabtest/internal/model.UserData lists
// them).
type UserSnapshot struct {
	model.UserData
	State gitlab.UserState
	// Memberships are the user's direct memberships that have not
	// expired, as GET /users/:id/memberships lists them (read only:
	// UpdateUser ignores changes to them).
	Memberships []UserMembership
}

// snapshotOf returns a deep copy of u, with its memberships at now.
func snapshotOf(st *model.Store, u *user, now time.Time) UserSnapshot {
	return UserSnapshot{UserData: u.UserData.Clone(), State: gitlab.UserState(u.State), Memberships: st.Memberships(u, "", now)}
}

// StatusSpec is a user status to seed with SetStatus.
type StatusSpec = model.StatusSpec

// AuditEventSnapshot is a stored audit event; AuditEventDetail one key
// of its additional details.
type (
	AuditEventSnapshot = model.AuditEvent
	AuditEventDetail   = model.AuditDetail
)

// The entity types of audit events.
const (
	AuditEntityUser     = model.AuditUser
	AuditEntityGroup    = model.AuditGroup
	AuditEntityProject  = model.AuditProject
	AuditEntityInstance = model.AuditInstance
)

// AuditEventSpec is what an audit event records (AuditEventSnapshot
// embeds it).
type AuditEventSpec = model.AuditEventSpec
