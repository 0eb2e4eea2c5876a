package model

import (
	"maps"
	"slices"
	"time"
)

// UserState is a user's state, as GitLab names it in the "state" field
// (app/models/user.rb's state machine).
type UserState string

// The states of a user.
const (
	StateActive                 UserState = "active"
	StateBlocked                UserState = "blocked"
	StateLDAPBlocked            UserState = "ldap_blocked"
	StateDeactivated            UserState = "deactivated"
	StateBanned                 UserState = "banned"
	StateBlockedPendingApproval UserState = "blocked_pending_approval"
)

// Membership source types and access levels, as GitLab reports them in
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

// Identity links a user to an external authentication provider.
type Identity struct {
	Provider  string
	ExternUID string
	// SAMLProviderID is the group SAML provider of an identity with
	// Provider GroupSAMLProvider (EE's saml_provider_id), 0 otherwise.
	SAMLProviderID int64
}

// Membership is a direct membership of a user in a project or a group.
// A user who is the only AccessOwner of a group (SourceNamespace) cannot
// be deleted without hard_delete, as on GitLab.
type Membership struct {
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

// UserData is what GitLab stores of a user, but for its state: the
// fields gitlabtest.UserSnapshot shows. A User holds it and its State.
type UserData struct {
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
	// ProjectBot is set for the bot user of a group or project access
	// token (user_type project_bot), which is also a Bot.
	ProjectBot bool

	Bio, Location, Skype, Linkedin, Twitter, Discord string
	WebsiteURL, Organization, JobTitle, Pronouns     string
	WorkInformation, Note                            string

	ProjectsLimit  int
	CanCreateGroup bool
	ThemeID        int
	ColorSchemeID  int

	Identities       []Identity
	CustomAttributes map[string]string
	Counts           Counts
	// IssuesAuthored and MergeRequestsAuthored feed associations_count.
	IssuesAuthored, MergeRequestsAuthored int
	// GitHub is the GitHub username set by create or update.
	GitHub string
	// Preferences are the user's preferences of /user/preferences.
	Preferences Preferences
	// SupportPIN is the user's support PIN; nil when none was made.
	SupportPIN *SupportPIN

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

	// EnterpriseGroupID is the top-level group that claimed the user as
	// an enterprise user (user_details.enterprise_group_id; GitLab.com
	// only), 0 for none.
	EnterpriseGroupID int64
}

// Clone returns a deep copy of u.
func (u UserData) Clone() UserData {
	u.Identities = slices.Clone(u.Identities)
	u.CustomAttributes = maps.Clone(u.CustomAttributes)
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

// SupportPIN is a user's support PIN: six digits that stop being
// served at ExpiresAt (creation plus seven days, or the time of a
// revoke).
type SupportPIN struct {
	PIN       string
	ExpiresAt time.Time
}

// SSHKey is a stored SSH key.
type SSHKey struct {
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

// GPGKey is a stored GPG key. Revoked keys are removed from the
// store, as GitLab removes them from the user's list.
type GPGKey struct {
	ID        int64
	UserID    int64
	Key       string
	CreatedAt time.Time
}

// Email is one of a user's email addresses. Every user has a
// Primary one (listed first), as in GitLab's emails table.
type Email struct {
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

// Status is a user's stored status.
type Status struct {
	Emoji         string
	Message       string
	Availability  string
	ClearStatusAt *time.Time
}

// Token is a stored access token: a personal one (from CreateUser
// or CreatePersonalToken) or an impersonation token.
type Token struct {
	ID            int64
	UserID        int64
	Name          string
	Description   string
	Scopes        []string
	Impersonation bool
	Revoked       bool
	CreatedAt     time.Time
	// ExpiresAt is the day the token stops working (as midnight UTC of
	// that day): it is expired from 00:00 UTC of that day on, and works
	// through the day before. nil when it never expires.
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
	// Description is the group's description.
	Description string
}

// Group is a stored group.
type Group struct {
	ID         int64
	ParentID   int64
	Path       string
	FullPath   string
	Name       string
	Visibility string
	CreatedAt  time.Time
	// SharedWith are the groups this group is shared with (GitLab's
	// group links, GET /groups/:id shared_with_groups).
	SharedWith []Share
	// Description is the group's description.
	Description string
	// MarkedForDeletionOn is the day a DELETE marked the group for
	// deletion; nil when it is not.
	MarkedForDeletionOn *time.Time
	// VerifiedDomains are the email domains the (top-level) group
	// verified (PagesDomain records of its projects, lower-cased): the
	// addresses its enterprise users may have (Group#owner_of_email?).
	VerifiedDomains []string
}

// Share lets the members of a group into another group or a project,
// at their own level but at most Level, until ExpiresAt (nil: no end).
// GitLab stores it as a GroupGroupLink or ProjectGroupLink
// (app/models/group_group_link.rb, app/models/project_group_link.rb).
type Share struct {
	// ID is the link's own ID (a project's share shows it as id).
	ID        int64
	GroupID   int64
	Level     int
	ExpiresAt *time.Time
}

// ProjectSpec describes a project to seed with CreateProject. Path and
// GroupID or OwnerID are required.
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
	// OwnerID, instead of GroupID, puts the project in that user's
	// personal namespace and makes the user its Owner.
	OwnerID int64
}

// Project is a stored project.
type Project struct {
	ID          int64
	GroupID     int64
	Path        string
	Name        string
	Description string
	// PathWithNamespace is the group's full path and the project's.
	PathWithNamespace string
	Visibility        string
	CreatedAt         time.Time
	// OwnerID is the user whose personal namespace holds the project
	// when GroupID is 0.
	OwnerID int64
	// SharedWith are the groups the project is shared with (GET
	// /projects/:id shared_with_groups).
	SharedWith []Share
	// MarkedForDeletionOn is the day a DELETE marked the project for
	// deletion; nil when it is not.
	MarkedForDeletionOn *time.Time
}

// User is a stored user: its data, its state and what the store keeps
// beside them (follows, status, the primary email's ID).
type User struct {
	UserData
	State UserState
	// social holds the follows, nil until the user follows or is
	// followed (most users never are: 40 bytes less per user); the
	// store's Follow and Unfollow keep it.
	social         *follows
	status         *Status
	primaryEmailID int64
}

type follows struct {
	followees []int64 // in follow order
	followers []int64 // ascending
}

// Followees returns the IDs of the users u follows, in follow order
// (shared: do not modify).
func (u *User) Followees() []int64 {
	if u.social == nil {
		return nil
	}
	return u.social.followees
}

// Followers returns the IDs of u's followers, ascending (shared: do not
// modify).
func (u *User) Followers() []int64 {
	if u.social == nil {
		return nil
	}
	return u.social.followers
}

// follows returns u's follows, made on first use.
func (u *User) follows() *follows {
	if u.social == nil {
		u.social = &follows{}
	}
	return u.social
}

// CurrentStatus returns u's status unless it is unset or was cleared by
// its clear_status_at time.
func (u *User) CurrentStatus(now time.Time) *Status {
	if u.status == nil || (u.status.ClearStatusAt != nil && !u.status.ClearStatusAt.After(now)) {
		return nil
	}
	return u.status
}

// SetStatus replaces u's status; nil clears it.
func (u *User) SetStatus(s *Status) { u.status = s }

// DeployKey is a stored deploy key (app/models/deploy_key.rb, a Key in
// GitLab's keys table, so its ID comes from the SSH keys' sequence).
type DeployKey struct {
	ID     int64
	Title  string
	Key    string // as it was given, comment included
	UserID int64  // the user who created it; 0 once that user is deleted
	// Public marks an instance-wide key any project may enable.
	Public bool
	// UsageType is auth, signing or auth_and_signing.
	UsageType string
	// Fingerprint is the MD5 one ("aa:bb:..."), FingerprintSHA256 the
	// SHA256 one ("SHA256:...").
	Fingerprint       string
	FingerprintSHA256 string
	CreatedAt         time.Time
	ExpiresAt         *time.Time
	LastUsedAt        *time.Time
	// Projects are the projects the key is enabled in (GitLab's
	// deploy_keys_projects), by ascending project ID.
	Projects []DeployKeyProject
}

// DeployKeyProject enables a deploy key in a project, with write
// access when CanPush.
type DeployKeyProject struct {
	ProjectID int64
	CanPush   bool
}

// Event is a contribution event (app/models/event.rb): something a user
// did in a project, as GET /users/:id/events lists it.
type Event struct {
	ID       int64
	AuthorID int64
	// ProjectID is 0 for an event without a project (a group's), which
	// the events API never lists.
	ProjectID int64
	GroupID   int64
	// Action is one of the Event* actions.
	Action string
	// TargetType is the target's class ("Project", "Issue",
	// "MergeRequest", "Note", ...), "" for none; TargetIID is the
	// target's iid (its ID when it has none).
	TargetType  string
	TargetID    int64
	TargetIID   int64
	TargetTitle string
	CreatedAt   time.Time
	// Push is a push event's payload, nil for other events.
	Push *PushData
}

// PushData is a push event's payload (app/models/push_event_payload.rb).
type PushData struct {
	CommitCount int
	// Action is "pushed", "created" (a new ref) or "removed".
	Action string
	// RefType is "branch" or "tag".
	RefType     string
	CommitFrom  string // "" for null
	CommitTo    string
	Ref         string
	CommitTitle string
	RefCount    int // 0 for null (a single ref's push)
}

// SAMLGroupLink is a group's SAML group link (ee/app/models/
// saml_group_link.rb): members of the SAML group Name get AccessLevel
// in the group when they sign in.
type SAMLGroupLink struct {
	ID          int64
	GroupID     int64
	Name        string
	AccessLevel int
	// Provider limits the link to one SAML provider; nil for any.
	Provider *string
}

// LDAPGroupLink is a group's LDAP group link (ee/app/models/
// ldap_group_link.rb): the members of the LDAP group CN, or the entries
// Filter matches, get GroupAccess in the group when it synchronizes.
type LDAPGroupLink struct {
	ID          int64
	GroupID     int64
	CN, Filter  *string // exactly one is set
	GroupAccess int
	Provider    string
}
