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
	// TokenSnapshot is a stored access token: a personal one (from
	// CreateUser or CreatePersonalToken) or an impersonation token.
	TokenSnapshot = model.Token
	// GranularScope is one scope of a granular token.
	GranularScope = model.GranularScope
	// GroupSpec describes a group to seed with CreateGroup. Only Path is
	// required.
	GroupSpec = model.GroupSpec
	// GroupSnapshot is a stored group.
	GroupSnapshot = model.Group
	// ProjectSpec describes a project to seed with CreateProject. Path
	// and GroupID are required.
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

// UserSnapshot is a snapshot of a stored user, for assertions: its
// State and its data (model.UserData, whose fields are promoted: ID,
// Username, Name, Email, Admin, Identities, Memberships, CreatedAt and
// the rest, documented there).
type UserSnapshot struct {
	model.UserData
	State gitlab.UserState
}

// snapshotOf returns a deep copy of u.
func snapshotOf(u *user) UserSnapshot {
	return UserSnapshot{UserData: u.UserData.Clone(), State: gitlab.UserState(u.State)}
}

// UserSpec describes a user to seed with CreateUser. Zero fields take
// GitLab's defaults; only Username is required.
type UserSpec struct {
	Username string
	// Name defaults to Username.
	Name string
	// Email defaults to "<username>@example.com". It is confirmed unless
	// Unconfirmed is set.
	Email       string
	Unconfirmed bool
	PublicEmail string
	CommitEmail string
	// Password is stored as given (there is no sign-in); it is readable
	// back through UserSnapshot.
	Password string
	// State defaults to StateActive.
	State    gitlab.UserState
	Admin    bool
	Bot      bool
	Locked   bool
	External bool
	// PrivateProfile hides the profile (created_at, followers, following,
	// activity) from other non-administrators, and makes the user's
	// followers and following lists answer 404 to them.
	PrivateProfile bool
	// DisableFollowing makes follow requests to or from this user answer
	// 304, like GitLab's enabled_following = false.
	DisableFollowing bool
	TwoFactorEnabled bool
	// ServiceAccount makes the user a service account (user type
	// service_account, a bot that cannot sign in with a password).
	// ProvisionedByGroupID or ProvisionedByProjectID make it a group's
	// or a project's service account.
	ServiceAccount         bool
	ProvisionedByGroupID   int64
	ProvisionedByProjectID int64

	Bio, Location, Skype, Linkedin, Twitter, Discord string
	WebsiteURL, Organization, JobTitle, Pronouns     string
	WorkInformation, Note                            string

	// ProjectsLimit defaults to 100000, GitLab's default_projects_limit.
	ProjectsLimit *int
	// CanCreateGroup defaults to true.
	CanCreateGroup *bool

	Identities       []UserIdentity
	CustomAttributes map[string]string
	Memberships      []UserMembership
	Counts           Counts
	// IssuesAuthored and MergeRequestsAuthored are the issue and merge
	// request counts of GET /users/:id/associations_count (the groups
	// and projects counts follow Memberships).
	IssuesAuthored, MergeRequestsAuthored int

	// CreatedAt defaults to the server's clock.
	CreatedAt time.Time
	// LastActivityOn is the day of the last activity; zero means never.
	// GitLab refuses to deactivate users active in the last 90 days.
	LastActivityOn time.Time
	// LastSignInAt, CurrentSignInAt and the IP fields fill the sign-in
	// fields of the admin entity; zero means never signed in.
	LastSignInAt, CurrentSignInAt time.Time
	LastSignInIP, CurrentSignInIP string
	SignInCount                   int
}

// StatusSpec is a user status to seed with SetStatus.
type StatusSpec = model.StatusSpec
