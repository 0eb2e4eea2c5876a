package gitlabtest

import (
	"github.com/gitlabusers/gitlab"
	"maps"
	"net"
	"slices"
	"time"
)

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
	SourceProject   = "Project"
	SourceNamespace = "Namespace" // a group

	AccessGuest      = 10
	AccessPlanner    = 15
	AccessReporter   = 20
	AccessDeveloper  = 30
	AccessMaintainer = 40
	AccessOwner      = 50
)

// UserIdentity links a user to an external authentication provider.
type UserIdentity struct {
	Provider  string
	ExternUID string
}

// UserMembership is a direct membership of a user in a project or a group.
// A user who is the only AccessOwner of a group (SourceNamespace) cannot
// be deleted without hard_delete, as on GitLab.
type UserMembership struct {
	SourceID   int64
	SourceName string
	SourceType string // SourceProject or SourceNamespace
	// AccessLevel is the integer access level (AccessGuest ... AccessOwner).
	AccessLevel int
}

// Counts are the numbers GET /user_counts reports for a user.
type Counts struct {
	AssignedIssues               int
	AssignedMergeRequests        int
	ReviewRequestedMergeRequests int
	Todos                        int
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

// UserSnapshot is a snapshot of a stored user, for assertions.
type UserSnapshot struct {
	ID       int64
	Username string
	Name     string
	// Email is the primary email; UnconfirmedEmail holds an address set
	// by an update without skip_reconfirmation.
	Email            string
	UnconfirmedEmail string
	PublicEmail      string
	CommitEmail      string
	// Password is the last password set (plain text: this is a fake).
	Password string
	// PasswordExpiresAt is set when an administrator changes another
	// user's password, forcing a reset at next sign-in.
	PasswordExpiresAt *time.Time
	State             gitlab.UserState
	Admin             bool
	Bot               bool
	Locked            bool
	External          bool
	PrivateProfile    bool
	FollowingEnabled  bool
	TwoFactorEnabled  bool
	// ServiceAccount is set for users of type service account, which
	// are bots; ProvisionedByGroupID or ProvisionedByProjectID name the
	// group or project that created a group or project service account.
	ServiceAccount         bool
	ProvisionedByGroupID   int64
	ProvisionedByProjectID int64

	Bio, Location, Skype, Linkedin, Twitter, Discord string
	WebsiteURL, Organization, JobTitle, Pronouns     string
	WorkInformation, Note                            string

	ProjectsLimit  int
	CanCreateGroup bool
	ThemeID        int
	ColorSchemeID  int

	Identities       []UserIdentity
	CustomAttributes map[string]string
	Memberships      []UserMembership
	Counts           Counts
	// IssuesAuthored and MergeRequestsAuthored feed associations_count.
	IssuesAuthored, MergeRequestsAuthored int
	// GitHub is the GitHub username set by create or update.
	GitHub string
	// Preferences are the user's preferences of /user/preferences.
	Preferences Preferences
	// SupportPIN is the user's support PIN; nil when none was made.
	SupportPIN *SupportPINSnapshot

	// AvatarFilename and Avatar hold the last uploaded avatar, if any.
	AvatarFilename string
	Avatar         []byte

	// CreatedBy is the ID of the administrator who created the user
	// through the API, 0 for seeded users.
	CreatedBy   int64
	NamespaceID int64

	CreatedAt       time.Time
	UpdatedAt       time.Time
	ConfirmedAt     *time.Time
	LastActivityOn  *time.Time
	LastSignInAt    *time.Time
	CurrentSignInAt *time.Time
	LastSignInIP    string
	CurrentSignInIP string
	SignInCount     int
}

// clone returns a deep copy of u.
func (u UserSnapshot) clone() UserSnapshot {
	u.Identities = slices.Clone(u.Identities)
	u.CustomAttributes = maps.Clone(u.CustomAttributes)
	u.Memberships = slices.Clone(u.Memberships)
	u.Avatar = slices.Clone(u.Avatar)
	if u.SupportPIN != nil {
		p := *u.SupportPIN
		u.SupportPIN = &p
	}
	return u
}

// Preferences are a user's preferences, as GET /user/preferences
// reports them.
type Preferences struct {
	ViewDiffsFileByFile       bool
	ShowWhitespaceInDiffs     bool
	PassUserIdentitiesToCIJWT bool
	PolicyAdvancedEditor      bool
}

// SupportPINSnapshot is a user's support PIN: six digits that stop being
// served at ExpiresAt (creation plus seven days, or the time of a
// revoke).
type SupportPINSnapshot struct {
	PIN       string
	ExpiresAt time.Time
}

// SSHKeySnapshot is a stored SSH key.
type SSHKeySnapshot struct {
	ID     int64
	UserID int64
	Title  string
	// Key is the key as it was sent; GitLab answers with the comment
	// replaced by "<user name> (<host>)".
	Key         string
	Fingerprint string // SHA256 of the key blob, "SHA256:..."
	UsageType   string // auth, signing or auth_and_signing
	CreatedAt   time.Time
	ExpiresAt   *time.Time
	LastUsedAt  *time.Time
}

// GPGKeySnapshot is a stored GPG key. Revoked keys are removed from the
// store, as GitLab removes them from the user's list.
type GPGKeySnapshot struct {
	ID        int64
	UserID    int64
	Key       string
	CreatedAt time.Time
}

// EmailSnapshot is one of a user's email addresses. Every user has a
// Primary one (listed first), as in GitLab's emails table.
type EmailSnapshot struct {
	ID          int64
	UserID      int64
	Email       string
	Primary     bool
	ConfirmedAt *time.Time
	CreatedAt   time.Time
}

// StatusSpec is a user status to seed with SetStatus.
type StatusSpec struct {
	Emoji        string
	Message      string
	Availability string // "not_set" (default) or "busy"
	// ClearStatusAt, when set, clears the status at that time.
	ClearStatusAt time.Time
}

// StatusSnapshot is a user's stored status.
type StatusSnapshot struct {
	Emoji         string
	Message       string
	Availability  string
	ClearStatusAt *time.Time
}

// TokenSnapshot is a stored access token: a personal one (from CreateUser
// or CreatePersonalToken) or an impersonation token.
type TokenSnapshot struct {
	ID            int64
	UserID        int64
	Name          string
	Description   string
	Scopes        []string
	Impersonation bool
	Revoked       bool
	CreatedAt     time.Time
	// ExpiresAt is a day (midnight UTC); nil never expires. A token is
	// expired from that day on.
	ExpiresAt *time.Time
	// LastUsedAt is the time of a request authenticated by the token; as
	// on GitLab, a request updates it only when it is unset or at least
	// 10 minutes old.
	LastUsedAt *time.Time
	// LastUsedIPs are the last five addresses the token was used from,
	// oldest first. As on GitLab, a known address stays in place and a
	// new one is recorded when LastUsedAt is unset or at least a minute
	// old.
	LastUsedIPs []string
	// PreviousID is the token this one was rotated from, 0 for none.
	PreviousID int64
	// Token is the secret value; GitLab shows it only at creation.
	Token string
	// GranularScopes are the scopes of a granular token (nil otherwise).
	GranularScopes []GranularScope
}

// GranularScope is one scope of a granular token.
type GranularScope struct {
	Access      string
	Permissions []string
	ProjectID   *int64
	GroupID     *int64
}

// GroupSpec describes a group to seed with CreateGroup. Only Path is
// required.
type GroupSpec struct {
	// Path is the group's own path segment, e.g. "platform".
	Path string
	// Name defaults to Path.
	Name string
	// ParentID makes it a subgroup of that group.
	ParentID int64
	// Visibility is "private" (default), "internal" or "public".
	Visibility string
	// Owners are users made direct Owners of the group.
	Owners []int64
}

// GroupSnapshot is a stored group.
type GroupSnapshot struct {
	ID         int64
	ParentID   int64
	Path       string
	FullPath   string
	Name       string
	Visibility string
	CreatedAt  time.Time
}

// ProjectSpec describes a project to seed with CreateProject. Path and
// GroupID are required.
type ProjectSpec struct {
	Path string
	// Name defaults to Path.
	Name        string
	Description string
	GroupID     int64
	// Visibility is "private" (default), "internal" or "public".
	Visibility string
	// Maintainers and Owners are made direct members with that role.
	Maintainers []int64
	Owners      []int64
}

// ProjectSnapshot is a stored project.
type ProjectSnapshot struct {
	ID          int64
	GroupID     int64
	Path        string
	Name        string
	Description string
	// PathWithNamespace is the group's full path and the project's.
	PathWithNamespace string
	Visibility        string
	CreatedAt         time.Time
}

// user is the stored model.
type user struct {
	UserSnapshot
	// social holds the follows, nil until the user follows or is
	// followed (most users never are: 40 bytes less per user); store's
	// follow and unfollow keep it.
	social         *follows
	status         *StatusSnapshot
	primaryEmailID int64
}

type follows struct {
	followees []int64 // in follow order
	followers []int64 // ascending
}

// followees returns the IDs of the users u follows, in follow order.
func (u *user) followees() []int64 {
	if u.social == nil {
		return nil
	}
	return u.social.followees
}

// followers returns the IDs of u's followers, ascending.
func (u *user) followers() []int64 {
	if u.social == nil {
		return nil
	}
	return u.social.followers
}

// follows returns u's follows, made on first use.
func (u *user) follows() *follows {
	if u.social == nil {
		u.social = &follows{}
	}
	return u.social
}

type sshKey struct{ SSHKeySnapshot }
type gpgKey struct{ GPGKeySnapshot }
type email struct{ EmailSnapshot }
type token struct{ TokenSnapshot }
type group struct{ GroupSnapshot }
type project struct{ ProjectSnapshot }

// active reports whether t authenticates at now.
func (t *token) active(now time.Time) bool {
	return !t.Revoked && !t.expired(now)
}

func (t *token) expired(now time.Time) bool {
	return t.ExpiresAt != nil && !t.ExpiresAt.After(now)
}

func (t *token) hasScope(s string) bool { return slices.Contains(t.Scopes, s) }

// used records a use of t at now from the remote address addr (host:port)
// as PersonalAccessTokens::LastUsedService does (see useDue): the
// address among the last five, and last_used_at.
func (t *token) used(now time.Time, addr string) {
	ip, at := t.useDue(now, addr)
	if ip {
		host, _, _ := net.SplitHostPort(addr)
		t.LastUsedIPs = append(t.LastUsedIPs, host)
		if len(t.LastUsedIPs) > 5 {
			t.LastUsedIPs = t.LastUsedIPs[len(t.LastUsedIPs)-5:]
		}
	}
	if at {
		t.LastUsedAt = ptrTime(now)
	}
}

// useDue reports which of t's use records a use at now from addr updates,
// as PersonalAccessTokens::LastUsedService decides (its
// LAST_USED_IP_TIMEOUT and LAST_USED_AT_TIMEOUT): a new address when
// the token was never used or last used at least a minute ago (a known
// address is kept in place), last_used_at when unset or at least 10
// minutes old. Most requests therefore change nothing, and read-only
// ones share the store.
func (t *token) useDue(now time.Time, addr string) (ip, at bool) {
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		switch {
		case t.LastUsedAt == nil:
			ip = true
		case slices.Contains(t.LastUsedIPs, host):
		default:
			ip = !t.LastUsedAt.After(now.Add(-time.Minute))
		}
	}
	at = t.LastUsedAt == nil || !t.LastUsedAt.After(now.Add(-10*time.Minute))
	return ip, at
}
