package gitlab

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// UsersService manages users: listing, creating, updating, blocking and deleting them, and reading their activities, memberships and counts.
//
// GitLab API docs: https://docs.gitlab.com/api/users/
type UsersService service

// UserState is the state of a user account, as GitLab reports it in
// User.State.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-users
type UserState string

// The states GitLab reports.
const (
	UserStateActive                 UserState = "active"
	UserStateBlocked                UserState = "blocked"
	UserStateLDAPBlocked            UserState = "ldap_blocked"
	UserStateDeactivated            UserState = "deactivated"
	UserStateBanned                 UserState = "banned"
	UserStateBlockedPendingApproval UserState = "blocked_pending_approval"
)

// AccessLevel is a GitLab role as an integer access level, as in
// Membership.AccessLevel and User.HighestRole. It reads both the integer
// current GitLab sends (20) and the quoted string older versions sent
// ("20"), and writes the integer.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#roles
type AccessLevel int

// The access levels GitLab defines in Gitlab::Access.
const (
	AccessLevelNone     AccessLevel = 0
	AccessLevelMinimal  AccessLevel = 5
	AccessLevelGuest    AccessLevel = 10
	AccessLevelPlanner  AccessLevel = 15
	AccessLevelReporter AccessLevel = 20
	// AccessLevelSecurityManager exists where an administrator enabled
	// GitLab's Security Manager role.
	AccessLevelSecurityManager AccessLevel = 25
	AccessLevelDeveloper       AccessLevel = 30
	AccessLevelMaintainer      AccessLevel = 40
	AccessLevelOwner           AccessLevel = 50
	AccessLevelAdmin           AccessLevel = 60
)

// String returns the role's name ("Developer"), or "AccessLevel(n)" for
// a level GitLab does not define.
func (l AccessLevel) String() string {
	switch l {
	case AccessLevelNone:
		return "No access"
	case AccessLevelMinimal:
		return "Minimal access"
	case AccessLevelGuest:
		return "Guest"
	case AccessLevelPlanner:
		return "Planner"
	case AccessLevelReporter:
		return "Reporter"
	case AccessLevelSecurityManager:
		return "Security Manager"
	case AccessLevelDeveloper:
		return "Developer"
	case AccessLevelMaintainer:
		return "Maintainer"
	case AccessLevelOwner:
		return "Owner"
	case AccessLevelAdmin:
		return "Admin"
	}
	return "AccessLevel(" + strconv.Itoa(int(l)) + ")"
}

// UnmarshalJSON reads an integer (20), a string holding an integer
// ("20"), or null (which leaves l unchanged).
func (l *AccessLevel) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] != '"' {
		if n, err := strconv.Atoi(string(b)); err == nil { // no allocation
			*l = AccessLevel(n)
			return nil
		}
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := jsonUnmarshal(b, &s); err != nil {
			return fmt.Errorf("gitlab: access level: %w", err)
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("gitlab: access level %s is not an integer", b)
	}
	*l = AccessLevel(n)
	return nil
}

// User is a GitLab user account. Which fields GitLab fills depends on
// the endpoint and on the caller: non-administrators get the public
// fields (ID through Following; lists fewer); the current user
// (Current) also gets the private ones (Email through PrivateProfile);
// administrators also get the administrative ones (IsAdmin through
// SignInCount; current GitLab sends the last four only from Get). Fields
// GitLab did not send keep their zero value. Fields marked Enterprise
// Edition are sent by GitLab EE or GitLab.com only.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-a-single-user
type User struct {
	// Within each group the booleans sit together: a lone bool between
	// wider fields costs 7 bytes of padding, and a page of 100 users
	// decodes 200 Users (each has its CreatedBy), so 32 bytes of padding
	// put User in the allocator's 768-byte class instead of 704, 5 % more
	// bytes per page (BENCHMARKS.md, issue 26; bench's
	// TestUserFitsItsSizeClass keeps it there).

	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	Name        string    `json:"name"`
	PublicEmail string    `json:"public_email"`
	State       UserState `json:"state"`
	AvatarURL   string    `json:"avatar_url"`
	WebURL      string    `json:"web_url"`
	// CustomAttributes is sent to administrators who ask for it with
	// WithCustomAttributes.
	CustomAttributes []*CustomAttribute `json:"custom_attributes,omitempty"`
	// CreatedAt is nil when the profile is private to the caller.
	CreatedAt *time.Time `json:"created_at"`
	Bio       string     `json:"bio"`
	// BioHTML is Bio rendered from Markdown as HTML ("" for an empty
	// bio); current GitLab keeps only emphasis, strong and code, without
	// paragraph tags. Get sends it to every caller; lists and Current do
	// not.
	BioHTML string `json:"bio_html"`
	// Location is nil when the user never set it.
	Location *string `json:"location"`
	// Deprecated: GitLab no longer stores or sends a Skype name (it
	// dropped the field in 18.x); it stays empty on current versions.
	Skype      string `json:"skype"`
	Linkedin   string `json:"linkedin"`
	Twitter    string `json:"twitter"`
	Discord    string `json:"discord"`
	WebsiteURL string `json:"website_url"`
	// GitHub is the user's GitHub username.
	GitHub          string `json:"github"`
	Organization    string `json:"organization"`
	JobTitle        string `json:"job_title"`
	Pronouns        string `json:"pronouns"`
	WorkInformation string `json:"work_information"`
	// LocalTime is the user's local time of day, e.g. "3:38 PM", when the
	// user set a time zone.
	LocalTime string `json:"local_time"`
	// Locked is true while the account is locked after too many failed
	// sign-in attempts.
	Locked bool `json:"locked"`
	Bot    bool `json:"bot"`
	// IsFollowed, Followers and Following are sent only when the caller
	// may see the profile and following is enabled on both sides.
	IsFollowed bool `json:"is_followed"`
	Followers  int  `json:"followers"`
	Following  int  `json:"following"`

	// The current user's own fields (and administrators').
	Email             string      `json:"email"`
	CommitEmail       string      `json:"commit_email"`
	PreferredLanguage string      `json:"preferred_language"`
	LastSignInAt      *time.Time  `json:"last_sign_in_at"`
	ConfirmedAt       *time.Time  `json:"confirmed_at"`
	LastActivityOn    *ISODate    `json:"last_activity_on"`
	ThemeID           int64       `json:"theme_id"`
	ColorSchemeID     int64       `json:"color_scheme_id"`
	ProjectsLimit     int64       `json:"projects_limit"`
	CurrentSignInAt   *time.Time  `json:"current_sign_in_at"`
	Identities        []*Identity `json:"identities"`
	CanCreateGroup    bool        `json:"can_create_group"`
	CanCreateProject  bool        `json:"can_create_project"`
	TwoFactorEnabled  bool        `json:"two_factor_enabled"`
	External          bool        `json:"external"`
	PrivateProfile    bool        `json:"private_profile"`

	// Administrators only.
	IsAdmin     bool   `json:"is_admin"`
	Note        string `json:"note"`
	NamespaceID int64  `json:"namespace_id"`
	// CreatedBy is the administrator who created the account; nil for
	// self-registered users.
	CreatedBy           *User      `json:"created_by"`
	EmailResetOfferedAt *time.Time `json:"email_reset_offered_at"`
	// ProvisionedByProjectID is set for project bot users.
	ProvisionedByProjectID *int64 `json:"provisioned_by_project_id"`
	// HighestRole is the user's highest access level in any group or
	// project (AccessLevelNone when none). Get only.
	HighestRole AccessLevel `json:"highest_role"`
	// CurrentSignInIP and LastSignInIP are empty if the user never signed in. Get only.
	CurrentSignInIP string `json:"current_sign_in_ip"`
	LastSignInIP    string `json:"last_sign_in_ip"`
	SignInCount     int64  `json:"sign_in_count"`

	// Enterprise Edition only.
	Plan string `json:"plan"`
	// SharedRunnersMinutesLimit is nil when the instance default applies;
	// 0 means unlimited.
	SharedRunnersMinutesLimit      *int64 `json:"shared_runners_minutes_limit"`
	ExtraSharedRunnersMinutesLimit *int64 `json:"extra_shared_runners_minutes_limit"`
	ProvisionedByGroupID           *int64 `json:"provisioned_by_group_id"`
	EnterpriseGroupID              *int64 `json:"enterprise_group_id"`
	// SCIMIdentities are the user's SCIM identities (instance-level ones
	// first, then those of groups). GitLab EE sends them with the
	// current user's own fields (Current, the administrators' lists and
	// Get, and GroupUsers' and EnterpriseUsers' lists).
	SCIMIdentities []*SCIMIdentity `json:"scim_identities"`

	Trial            bool `json:"trial"`
	IsAuditor        bool `json:"is_auditor"`
	UsingLicenseSeat bool `json:"using_license_seat"`
}

// Identity links a user to an account at an external authentication
// provider (LDAP, SAML, OAuth).
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-a-single-user
type Identity struct {
	Provider  string `json:"provider"`
	ExternUID string `json:"extern_uid"`
	// SAMLProviderID is set for group SAML identities (GitLab.com).
	SAMLProviderID int64 `json:"saml_provider_id,omitempty"`
}

// CustomAttribute is a key/value pair an administrator attached to a user.
//
// GitLab API docs: https://docs.gitlab.com/api/custom_attributes/
type CustomAttribute struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// UserCounts are the numbers shown in the current user's navigation.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-a-count-of-your-assigned-issues-merge-requests-and-reviews
type UserCounts struct {
	AssignedIssues               int `json:"assigned_issues"`
	AssignedMergeRequests        int `json:"assigned_merge_requests"`
	ReviewRequestedMergeRequests int `json:"review_requested_merge_requests"`
	Todos                        int `json:"todos"`
	// MergeRequests is deprecated: it equals AssignedMergeRequests.
	MergeRequests int `json:"merge_requests"`
}

// UserActivity is the date of a user's last activity.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-a-users-activity
type UserActivity struct {
	Username       string   `json:"username"`
	LastActivityOn *ISODate `json:"last_activity_on"`
	// LastActivityAt is a deprecated duplicate of LastActivityOn.
	LastActivityAt *ISODate `json:"last_activity_at"`
}

// MembershipType is the kind of source a membership grants access to.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-projects-and-groups-that-a-user-is-a-member-of
type MembershipType string

// The membership types.
const (
	MembershipTypeProject   MembershipType = "Project"
	MembershipTypeNamespace MembershipType = "Namespace" // a group
)

func (MembershipType) known() []string {
	return []string{string(MembershipTypeProject), string(MembershipTypeNamespace)}
}

// Membership is a user's direct membership of a project or group.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-projects-and-groups-that-a-user-is-a-member-of
type Membership struct {
	SourceID    int64          `json:"source_id"`
	SourceName  string         `json:"source_name"`
	SourceType  MembershipType `json:"source_type"`
	AccessLevel AccessLevel    `json:"access_level"`
}

// UserOrderBy is a field ListUsersOptions.OrderBy sorts users by.
type UserOrderBy string

// The orderings of UsersService.List.
const (
	UserOrderByID        UserOrderBy = "id"
	UserOrderByName      UserOrderBy = "name"
	UserOrderByUsername  UserOrderBy = "username"
	UserOrderByCreatedAt UserOrderBy = "created_at"
	UserOrderByUpdatedAt UserOrderBy = "updated_at"
)

func (UserOrderBy) known() []string {
	return []string{string(UserOrderByID), string(UserOrderByName), string(UserOrderByUsername), string(UserOrderByCreatedAt), string(UserOrderByUpdatedAt)}
}

// SortOrder is the direction of a sorted list.
type SortOrder string

// The sort directions.
const (
	SortOrderAsc  SortOrder = "asc"
	SortOrderDesc SortOrder = "desc"
)

func (SortOrder) known() []string {
	return []string{string(SortOrderAsc), string(SortOrderDesc)}
}

// TwoFactorFilter filters users by whether two-factor authentication is on.
type TwoFactorFilter string

// The two-factor filters.
const (
	TwoFactorFilterEnabled  TwoFactorFilter = "enabled"
	TwoFactorFilterDisabled TwoFactorFilter = "disabled"
)

func (TwoFactorFilter) known() []string {
	return []string{string(TwoFactorFilterEnabled), string(TwoFactorFilterDisabled)}
}

// Pagination selects how GitLab pages a list (ListUsersOptions.Pagination).
//
// GitLab API docs: https://docs.gitlab.com/api/rest/#keyset-based-pagination
type Pagination string

// The pagination methods GitLab accepts.
const (
	PaginationOffset Pagination = "offset" // page numbers (GitLab's default)
	PaginationKeyset Pagination = "keyset" // an opaque cursor in the Link header
)

func (Pagination) known() []string {
	return []string{string(PaginationOffset), string(PaginationKeyset)}
}

// ListUsersOptions are the parameters of UsersService.List and ListIter.
// GitLab silently ignores the filters marked administrators only when
// another user sends them; ExternUID and Provider go together, and
// from a non-administrator they are refused (403).
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-users
type ListUsersOptions struct {
	ListOptions
	// Search matches name, username and (for administrators, private)
	// email addresses.
	Search *string `url:"search,omitempty"`
	// Username matches one username exactly, case-insensitively.
	Username *string `url:"username,omitempty"`
	// PublicEmail matches one public email address exactly
	// (case-sensitively).
	PublicEmail *string `url:"public_email,omitempty"`
	// Active, Blocked and External keep only such users; false means
	// "no filter", not the opposite.
	Active   *bool `url:"active,omitempty"`
	Blocked  *bool `url:"blocked,omitempty"`
	External *bool `url:"external,omitempty"`
	// ExcludeActive, ExcludeExternal, ExcludeHumans and ExcludeInternal
	// leave out such users.
	ExcludeActive   *bool `url:"exclude_active,omitempty"`
	ExcludeExternal *bool `url:"exclude_external,omitempty"`
	ExcludeHumans   *bool `url:"exclude_humans,omitempty"`
	ExcludeInternal *bool `url:"exclude_internal,omitempty"`
	// Humans keeps only human users (no bots).
	Humans *bool `url:"humans,omitempty"`
	// WithoutProjectBots leaves out the bot users of group and project
	// access tokens; service accounts stay.
	WithoutProjectBots *bool `url:"without_project_bots,omitempty"`
	// Admins keeps only administrators. Administrators only.
	Admins *bool `url:"admins,omitempty"`
	// ExternUID and Provider find the user of an external identity; set
	// both or neither. Administrators only.
	ExternUID *string `url:"extern_uid,omitempty"`
	Provider  *string `url:"provider,omitempty"`
	// CreatedBefore and CreatedAfter bound the creation time.
	// Administrators only.
	CreatedBefore *time.Time `url:"created_before,omitempty"`
	CreatedAfter  *time.Time `url:"created_after,omitempty"`
	// WithoutProjects keeps users who have no projects. Administrators only.
	WithoutProjects *bool `url:"without_projects,omitempty"`
	// TwoFactor filters on two-factor authentication. Administrators only.
	TwoFactor *TwoFactorFilter `url:"two_factor,omitempty"`
	// OrderBy and Sort order the list (default id, desc).
	OrderBy *UserOrderBy `url:"order_by,omitempty"`
	Sort    *SortOrder   `url:"sort,omitempty"`
	// WithCustomAttributes includes each user's custom attributes.
	// Administrators only.
	WithCustomAttributes *bool `url:"with_custom_attributes,omitempty"`
	// CustomAttributes keeps users having all these custom attributes,
	// sent as custom_attributes[key]=value. Administrators only.
	CustomAttributes Attributes `url:"custom_attributes,omitempty"`
	// Pagination set to PaginationKeyset selects keyset pagination, which has no
	// offset limit: pages are then reached only through the Link header
	// (Response.NextLink; ListIter follows it). Use with PerPage and
	// optionally OrderBy and Sort.
	Pagination *Pagination `url:"pagination,omitempty"`
	// Cursor is the opaque position of a keyset page, as found in the
	// next-page link.
	Cursor *string `url:"cursor,omitempty"`

	// Auditors keeps only auditor users. Enterprise Edition (Premium),
	// for administrators and auditors; ignored otherwise.
	Auditors *bool `url:"auditors,omitempty"`
	// SkipLDAP leaves out users with an LDAP identity. Enterprise Edition.
	SkipLDAP *bool `url:"skip_ldap,omitempty"`
}

// GetUserOptions are the parameters of UsersService.Get.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-a-single-user
type GetUserOptions struct {
	// WithCustomAttributes includes the user's custom attributes.
	// Administrators only.
	WithCustomAttributes *bool `url:"with_custom_attributes,omitempty"`
}

// CreateUserOptions are the parameters of UsersService.Create. Email,
// Username and Name are required, and so is one of Password,
// ResetPassword (true) or ForceRandomPassword (true). Fields marked
// Enterprise Edition are honoured by GitLab EE or GitLab.com only.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#create-a-user
type CreateUserOptions struct {
	Email    *string `url:"email,omitempty"`
	Username *string `url:"username,omitempty"`
	Name     *string `url:"name,omitempty"`
	Password *string `url:"password,omitempty"`
	// ResetPassword sends the user a password reset link.
	ResetPassword *bool `url:"reset_password,omitempty"`
	// ForceRandomPassword sets a random password.
	ForceRandomPassword *bool `url:"force_random_password,omitempty"`
	// SkipConfirmation marks the email address as confirmed.
	SkipConfirmation *bool `url:"skip_confirmation,omitempty"`
	// Avatar is an image file, sent as multipart/form-data.
	Avatar *File `url:"-"`

	Admin          *bool   `url:"admin,omitempty"`
	Bio            *string `url:"bio,omitempty"`
	CanCreateGroup *bool   `url:"can_create_group,omitempty"`
	ColorSchemeID  *int64  `url:"color_scheme_id,omitempty"`
	// CommitEmail is the email used in commits made in the web UI;
	// "_private" selects the private commit email.
	CommitEmail *string `url:"commit_email,omitempty"`
	Discord     *string `url:"discord,omitempty"`
	// ExternUID and Provider add an external identity; set both or neither.
	ExternUID      *string `url:"extern_uid,omitempty"`
	Provider       *string `url:"provider,omitempty"`
	External       *bool   `url:"external,omitempty"`
	Linkedin       *string `url:"linkedin,omitempty"`
	Location       *string `url:"location,omitempty"`
	Note           *string `url:"note,omitempty"`
	Organization   *string `url:"organization,omitempty"`
	PrivateProfile *bool   `url:"private_profile,omitempty"`
	ProjectsLimit  *int64  `url:"projects_limit,omitempty"`
	Pronouns       *string `url:"pronouns,omitempty"`
	PublicEmail    *string `url:"public_email,omitempty"`
	// Deprecated: GitLab no longer declares skype (18.x) and silently
	// drops it, so setting it changes nothing. It is still sent, for
	// older instances.
	Skype   *string `url:"skype,omitempty"`
	ThemeID *int64  `url:"theme_id,omitempty"`
	Twitter *string `url:"twitter,omitempty"`
	// GitHub is the user's GitHub username.
	GitHub *string `url:"github,omitempty"`
	// ViewDiffsFileByFile shows one file per page in merge request diffs.
	ViewDiffsFileByFile *bool   `url:"view_diffs_file_by_file,omitempty"`
	WebsiteURL          *string `url:"website_url,omitempty"`
	// PolicyAdvancedEditor turns on the advanced editor for security
	// policies.
	PolicyAdvancedEditor *bool `url:"policy_advanced_editor,omitempty"`

	// Auditor makes the user an auditor. Enterprise Edition.
	Auditor *bool `url:"auditor,omitempty"`
	// GroupIDForSAML is the group whose SAML provider the identity
	// belongs to. Enterprise Edition.
	GroupIDForSAML *int64 `url:"group_id_for_saml,omitempty"`
	// SharedRunnersMinutesLimit is the compute minutes quota (0:
	// unlimited). Enterprise Edition.
	SharedRunnersMinutesLimit *int64 `url:"shared_runners_minutes_limit,omitempty"`
	// ExtraSharedRunnersMinutesLimit is purchased extra compute minutes.
	// Enterprise Edition.
	ExtraSharedRunnersMinutesLimit *int64 `url:"extra_shared_runners_minutes_limit,omitempty"`
}

func (o *CreateUserOptions) validate() error {
	empty := func(s *string) bool { return s == nil || *s == "" }
	isTrue := func(b *bool) bool { return b != nil && *b }
	switch {
	case o == nil:
		return invalidArg("create user: options are required (email, username, name and a password option)")
	case empty(o.Email):
		return invalidArg("create user: email is required")
	case empty(o.Username):
		return invalidArg("create user: username is required")
	case empty(o.Name):
		return invalidArg("create user: name is required")
	case empty(o.Password) && !isTrue(o.ResetPassword) && !isTrue(o.ForceRandomPassword):
		return invalidArg("create user: one of password, reset_password or force_random_password is required")
	}
	return externIdentityPair("create user", o.ExternUID, o.Provider)
}

// externIdentityPair checks GitLab's all_or_none_of :extern_uid, :provider.
func externIdentityPair(what string, uid, provider *string) error {
	if (uid == nil) != (provider == nil) {
		return invalidArg("%s: extern_uid and provider go together: set both or neither", what)
	}
	return nil
}

func (o *UpdateUserOptions) validate() error {
	if o == nil {
		return nil
	}
	return externIdentityPair("update user", o.ExternUID, o.Provider)
}

func (o *ListUsersOptions) validate() error {
	if o == nil {
		return nil
	}
	return externIdentityPair("list users", o.ExternUID, o.Provider)
}

func (o *CreateUserOptions) attachment() (string, *File) {
	if o == nil {
		return "", nil
	}
	return "avatar", o.Avatar
}

// UpdateUserOptions are the parameters of UsersService.Update. Only the
// fields that are set are changed. Fields marked Enterprise Edition are
// honoured by GitLab EE or GitLab.com only.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#modify-a-user
type UpdateUserOptions struct {
	// Email becomes the primary address only with SkipReconfirmation;
	// otherwise GitLab keeps the old one until the new one is confirmed.
	Email *string `url:"email,omitempty"`
	// SkipReconfirmation changes Email at once, without confirmation.
	SkipReconfirmation *bool   `url:"skip_reconfirmation,omitempty"`
	Username           *string `url:"username,omitempty"`
	Name               *string `url:"name,omitempty"`
	// Password: a user whose password an administrator changed must
	// change it at the next sign-in.
	Password *string `url:"password,omitempty"`
	// Avatar is an image file, sent as multipart/form-data.
	Avatar *File `url:"-"`

	Admin          *bool   `url:"admin,omitempty"`
	Bio            *string `url:"bio,omitempty"`
	CanCreateGroup *bool   `url:"can_create_group,omitempty"`
	ColorSchemeID  *int64  `url:"color_scheme_id,omitempty"`
	// CommitEmail is the email used in commits made in the web UI;
	// "_private" selects the private commit email.
	CommitEmail *string `url:"commit_email,omitempty"`
	Discord     *string `url:"discord,omitempty"`
	// ExternUID and Provider add an external identity; set both or neither.
	ExternUID      *string `url:"extern_uid,omitempty"`
	Provider       *string `url:"provider,omitempty"`
	External       *bool   `url:"external,omitempty"`
	Linkedin       *string `url:"linkedin,omitempty"`
	Location       *string `url:"location,omitempty"`
	Note           *string `url:"note,omitempty"`
	Organization   *string `url:"organization,omitempty"`
	PrivateProfile *bool   `url:"private_profile,omitempty"`
	ProjectsLimit  *int64  `url:"projects_limit,omitempty"`
	Pronouns       *string `url:"pronouns,omitempty"`
	PublicEmail    *string `url:"public_email,omitempty"`
	// Deprecated: GitLab no longer declares skype (18.x) and silently
	// drops it, so setting it changes nothing. It is still sent, for
	// older instances.
	Skype   *string `url:"skype,omitempty"`
	ThemeID *int64  `url:"theme_id,omitempty"`
	Twitter *string `url:"twitter,omitempty"`
	// GitHub is the user's GitHub username.
	GitHub *string `url:"github,omitempty"`
	// ViewDiffsFileByFile shows one file per page in merge request diffs.
	ViewDiffsFileByFile *bool   `url:"view_diffs_file_by_file,omitempty"`
	WebsiteURL          *string `url:"website_url,omitempty"`
	// PolicyAdvancedEditor turns on the advanced editor for security
	// policies.
	PolicyAdvancedEditor *bool `url:"policy_advanced_editor,omitempty"`

	// Auditor makes the user an auditor or not. Enterprise Edition.
	Auditor *bool `url:"auditor,omitempty"`
	// GroupIDForSAML is the group whose SAML provider the identity
	// belongs to. Enterprise Edition.
	GroupIDForSAML *int64 `url:"group_id_for_saml,omitempty"`
	// SharedRunnersMinutesLimit is the compute minutes quota (0:
	// unlimited). Enterprise Edition.
	SharedRunnersMinutesLimit *int64 `url:"shared_runners_minutes_limit,omitempty"`
	// ExtraSharedRunnersMinutesLimit is purchased extra compute minutes.
	// Enterprise Edition.
	ExtraSharedRunnersMinutesLimit *int64 `url:"extra_shared_runners_minutes_limit,omitempty"`
}

func (o *UpdateUserOptions) attachment() (string, *File) {
	if o == nil {
		return "", nil
	}
	return "avatar", o.Avatar
}

// DeleteUserOptions are the parameters of UsersService.Delete.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#delete-a-user
type DeleteUserOptions struct {
	// HardDelete deletes the user's contributions and the groups only
	// they own, instead of moving contributions to the ghost user.
	HardDelete *bool `url:"hard_delete,omitempty"`
}

// ListActivitiesOptions are the parameters of UsersService.ListActivities
// and ListActivitiesIter.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-a-users-activity
type ListActivitiesOptions struct {
	ListOptions
	// From is the earliest activity date to include (default: six
	// months ago).
	From *ISODate `url:"from,omitempty"`
}

// ListMembershipsOptions are the parameters of UsersService.ListMemberships
// and ListMembershipsIter.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-projects-and-groups-that-a-user-is-a-member-of
type ListMembershipsOptions struct {
	ListOptions
	// Type keeps only project or only group memberships.
	Type *MembershipType `url:"type,omitempty"`
}

// List returns one page of users. Any authenticated user may call it;
// anonymous callers only with Username. Administrators see every user
// with the administrative fields; other users see public fields only and
// never blocked or banned users. Offset pagination stops at an offset of
// 50,000 users by default (405 Method Not Allowed); keyset pagination
// (ListUsersOptions.Pagination) has no such limit.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-users
func (s *UsersService) List(ctx context.Context, opt *ListUsersOptions, opts ...RequestOption) ([]*User, *Response, error) {
	return doList[*User](ctx, s.client, at("users"), opt, opts)
}

// ListIter yields all users matching opt, across pages (also with keyset
// pagination). opt is not modified.
//
// Changing users inside the loop: with offset pagination (the default)
// each page is found by its position, so deleting users, or blocking,
// banning or deactivating them while listing with a filter they then
// fail (Active, say), shifts the pages not yet fetched: others are
// skipped (or yielded twice), with no error. Collect them first, then
// act (see Collect). Keyset pagination (Pagination PaginationKeyset)
// starts each page after the last user of the previous one, so
// removing users already yielded is safe. Changing a user's sort key
// is not: ordered by name, username or updated_at (which Block and the
// other state changes update), a changed user can move past the cursor
// and be yielded twice or never. Ordered by id or created_at, which do
// not change, keyset pagination is not disturbed.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-users
func (s *UsersService) ListIter(ctx context.Context, opt *ListUsersOptions, opts ...RequestOption) iter.Seq2[*User, error] {
	return iterate[*User](ctx, s.client, at("users"), opt, opts)
}

// Get returns one user. Any authenticated user may call it (others are
// rate limited); administrators get the administrative fields.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-a-single-user
func (s *UsersService) Get(ctx context.Context, userID int64, opt *GetUserOptions, opts ...RequestOption) (*User, *Response, error) {
	return do[*User](ctx, s.client, http.MethodGet, at("users", userID), opt, opts)
}

// GetByUsername returns the user whose username is name (one leading
// "@" is trimmed; GitLab matches usernames case-insensitively). GitLab
// has no endpoint for it: it lists users filtered by username, and
// reports ErrNotFound when none matches. Any caller may use it, even
// anonymous ones; only administrators find blocked and banned users.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-users
func (s *UsersService) GetByUsername(ctx context.Context, name string, opts ...RequestOption) (*User, *Response, error) {
	ref, err := Username(name).userRef()
	if err != nil {
		return nil, nil, err
	}
	users, resp, err := s.List(ctx, &ListUsersOptions{Username: &ref}, opts...)
	if err != nil {
		return nil, resp, err
	}
	for _, u := range users {
		if strings.EqualFold(u.Username, ref) {
			return u, resp, nil
		}
	}
	return nil, resp, fmt.Errorf("%w: no user has the username %q", ErrNotFound, ref)
}

// Current returns the authenticated user, including private fields such
// as Email; administrators also get the administrative fields. With
// WithSudo an administrator gets the user they act as.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-the-current-user
func (s *UsersService) Current(ctx context.Context, opts ...RequestOption) (*User, *Response, error) {
	return do[*User](ctx, s.client, http.MethodGet, at("user"), nil, opts)
}

// Create creates a user. Administrators only. A taken email or username
// is a 409 (ErrConflict); other validation failures are a 400
// (ErrBadRequest) with ErrorResponse.Fields.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#create-a-user
func (s *UsersService) Create(ctx context.Context, opt *CreateUserOptions, opts ...RequestOption) (*User, *Response, error) {
	return do[*User](ctx, s.client, http.MethodPost, at("users"), opt, opts)
}

// Update changes the fields of a user that opt sets. Administrators only.
// A taken email or username is a 409 (ErrConflict).
//
// GitLab API docs: https://docs.gitlab.com/api/users/#modify-a-user
func (s *UsersService) Update(ctx context.Context, userID int64, opt *UpdateUserOptions, opts ...RequestOption) (*User, *Response, error) {
	return do[*User](ctx, s.client, http.MethodPut, at("users", userID), opt, opts)
}

// Delete deletes a user. Administrators only. GitLab deletes
// asynchronously, so the user may still be found for a while. Without
// HardDelete, the sole owner of a group cannot be deleted (409,
// ErrConflict).
//
// GitLab API docs: https://docs.gitlab.com/api/users/#delete-a-user
func (s *UsersService) Delete(ctx context.Context, userID int64, opt *DeleteUserOptions, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("users", userID), opt, opts)
}

// DeleteIdentity removes a user's identity at an external authentication
// provider, such as "github". Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#delete-authentication-identity-from-a-user
func (s *UsersService) DeleteIdentity(ctx context.Context, userID int64, provider string, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("users", userID, "identities", segment{"provider", provider}), nil, opts)
}

// Counts returns the current user's counts of assigned issues, merge
// requests, review requests and to-do items. Any authenticated user may
// call it.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-a-count-of-your-assigned-issues-merge-requests-and-reviews
func (s *UsersService) Counts(ctx context.Context, opts ...RequestOption) (*UserCounts, *Response, error) {
	return do[*UserCounts](ctx, s.client, http.MethodGet, at("user_counts"), nil, opts)
}

// ListActivities returns one page of users' last activity dates, oldest
// first. Any authenticated user may call it (older GitLab versions:
// administrators only); only administrators see users with private
// profiles.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-a-users-activity
func (s *UsersService) ListActivities(ctx context.Context, opt *ListActivitiesOptions, opts ...RequestOption) ([]*UserActivity, *Response, error) {
	return doList[*UserActivity](ctx, s.client, at("user", "activities"), opt, opts)
}

// ListActivitiesIter yields all users' last activity dates, across
// pages. opt is not modified.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-a-users-activity
func (s *UsersService) ListActivitiesIter(ctx context.Context, opt *ListActivitiesOptions, opts ...RequestOption) iter.Seq2[*UserActivity, error] {
	return iterate[*UserActivity](ctx, s.client, at("user", "activities"), opt, opts)
}

// ListMemberships returns one page of a user's direct project and group
// memberships (inherited ones are not included). Administrators only.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-projects-and-groups-that-a-user-is-a-member-of
func (s *UsersService) ListMemberships(ctx context.Context, userID int64, opt *ListMembershipsOptions, opts ...RequestOption) ([]*Membership, *Response, error) {
	return doList[*Membership](ctx, s.client, at("users", userID, "memberships"), opt, opts)
}

// ListMembershipsIter yields all of a user's direct memberships, across
// pages. Administrators only. opt is not modified.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#list-projects-and-groups-that-a-user-is-a-member-of
func (s *UsersService) ListMembershipsIter(ctx context.Context, userID int64, opt *ListMembershipsOptions, opts ...RequestOption) iter.Seq2[*Membership, error] {
	return iterate[*Membership](ctx, s.client, at("users", userID, "memberships"), opt, opts)
}

// UserAssociationsCount counts what a user is associated with, for
// example before deleting the user.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-a-count-of-a-users-projects-groups-issues-and-merge-requests
type UserAssociationsCount struct {
	// GroupsCount counts the user's direct group memberships.
	GroupsCount int64 `json:"groups_count"`
	// ProjectsCount counts the user's direct project memberships.
	ProjectsCount int64 `json:"projects_count"`
	// IssuesCount counts the issues the user authored.
	IssuesCount int64 `json:"issues_count"`
	// MergeRequestsCount counts the merge requests the user authored.
	MergeRequestsCount int64 `json:"merge_requests_count"`
}

// UserPreferences are the current user's preferences that the API
// exposes.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-your-user-preferences
type UserPreferences struct {
	ID                        int64 `json:"id"`
	UserID                    int64 `json:"user_id"`
	ViewDiffsFileByFile       bool  `json:"view_diffs_file_by_file"`
	ShowWhitespaceInDiffs     bool  `json:"show_whitespace_in_diffs"`
	PassUserIdentitiesToCIJWT bool  `json:"pass_user_identities_to_ci_jwt"`
	PolicyAdvancedEditor      bool  `json:"policy_advanced_editor"`
}

// UpdatePreferencesOptions are the parameters of
// UsersService.UpdatePreferences. At least one field must be set (GitLab
// requires one), so a nil or empty options struct is ErrInvalidArgument.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#update-your-user-preferences
type UpdatePreferencesOptions struct {
	// ViewDiffsFileByFile shows one file per page in merge request diffs.
	ViewDiffsFileByFile *bool `url:"view_diffs_file_by_file,omitempty"`
	// ShowWhitespaceInDiffs shows whitespace changes in diffs.
	ShowWhitespaceInDiffs *bool `url:"show_whitespace_in_diffs,omitempty"`
	// PassUserIdentitiesToCIJWT adds the user's external identities to
	// the CI/CD ID tokens of their jobs.
	PassUserIdentitiesToCIJWT *bool `url:"pass_user_identities_to_ci_jwt,omitempty"`
	// PolicyAdvancedEditor turns on the advanced editor for security
	// policies.
	PolicyAdvancedEditor *bool `url:"policy_advanced_editor,omitempty"`
}

func (o *UpdatePreferencesOptions) validate() error {
	if o == nil || (o.ViewDiffsFileByFile == nil && o.ShowWhitespaceInDiffs == nil &&
		o.PassUserIdentitiesToCIJWT == nil && o.PolicyAdvancedEditor == nil) {
		return invalidArg("update preferences: at least one preference must be set")
	}
	return nil
}

// Avatar is the answer to UsersService.UploadAvatar and
// UsersService.GetAvatar.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#upload-an-avatar-for-yourself
type Avatar struct {
	// AvatarURL is the absolute URL of the avatar: the new one after
	// UploadAvatar; after GetAvatar, empty when GitLab has none to show
	// (it sends null).
	AvatarURL string `json:"avatar_url"`
}

// uploadAvatar is the body of PUT /user/avatar: one file, field avatar.
type uploadAvatar struct{ file *File }

func (o *uploadAvatar) validate() error {
	if o.file == nil {
		return invalidArg("upload avatar: file is required")
	}
	return nil
}

func (o *uploadAvatar) attachment() (string, *File) { return "avatar", o.file }

// RunnerType is the scope of a runner made with UsersService.CreateRunner.
type RunnerType string

// The runner types.
const (
	RunnerTypeInstance RunnerType = "instance_type" // for every project (administrators)
	RunnerTypeGroup    RunnerType = "group_type"    // for a group's projects (group owners)
	RunnerTypeProject  RunnerType = "project_type"  // for one project (project maintainers)
)

func (RunnerType) known() []string {
	return []string{string(RunnerTypeInstance), string(RunnerTypeGroup), string(RunnerTypeProject)}
}

// RunnerAccessLevel says which jobs a runner may pick.
type RunnerAccessLevel string

// The runner access levels.
const (
	RunnerAccessLevelNotProtected RunnerAccessLevel = "not_protected" // jobs of any ref
	RunnerAccessLevelRefProtected RunnerAccessLevel = "ref_protected" // jobs of protected refs only
)

func (RunnerAccessLevel) known() []string {
	return []string{string(RunnerAccessLevelNotProtected), string(RunnerAccessLevelRefProtected)}
}

// CreateUserRunnerOptions are the parameters of UsersService.CreateRunner.
// RunnerType is required, and so is GroupID for RunnerTypeGroup and
// ProjectID for RunnerTypeProject.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#create-a-runner-linked-to-a-user
type CreateUserRunnerOptions struct {
	// RunnerType is the runner's scope. Required.
	RunnerType *RunnerType `url:"runner_type,omitempty"`
	// GroupID is the runner's group (RunnerTypeGroup only).
	GroupID *int64 `url:"group_id,omitempty"`
	// ProjectID is the runner's project (RunnerTypeProject only).
	ProjectID   *int64  `url:"project_id,omitempty"`
	Description *string `url:"description,omitempty"`
	// MaintenanceNote is free text for the runner's maintainers (at most
	// 1024 characters).
	MaintenanceNote *string `url:"maintenance_note,omitempty"`
	// Paused makes the runner ignore new jobs.
	Paused *bool `url:"paused,omitempty"`
	// Locked keeps a project runner from being assigned to other projects.
	Locked *bool `url:"locked,omitempty"`
	// RunUntagged lets the runner pick jobs without tags. Without it,
	// TagList must not be empty.
	RunUntagged *bool `url:"run_untagged,omitempty"`
	// TagList is sent as tag_list[]=a&tag_list[]=b.
	TagList     []string           `url:"tag_list,omitempty,brackets"`
	AccessLevel *RunnerAccessLevel `url:"access_level,omitempty"`
	// MaximumTimeout caps a job's timeout, in seconds (at least 600).
	MaximumTimeout *int64 `url:"maximum_timeout,omitempty"`
	// TokenExpiresAt is when the runner's first authentication token
	// expires: between 5 minutes and 15 days from now, and not beyond
	// the instance's, group's or project's runner token expiration
	// interval; GitLab answers 400 otherwise. Tokens rotated later get
	// the interval's expiry. GitLab Premium and Ultimate only (other
	// editions ignore it).
	TokenExpiresAt *time.Time `url:"token_expires_at,omitempty"`
	// TokenRotationDeadline is when rotating that token stops being
	// allowed. It needs TokenExpiresAt, may not be in the past or after
	// it (400), and equal to it disables rotation. GitLab Premium and
	// Ultimate only.
	TokenRotationDeadline *time.Time `url:"token_rotation_deadline,omitempty"`
}

func (o *CreateUserRunnerOptions) validate() error {
	switch {
	case o == nil || o.RunnerType == nil || *o.RunnerType == "":
		return invalidArg("create runner: runner_type is required")
	case *o.RunnerType == RunnerTypeGroup && o.GroupID == nil:
		return invalidArg("create runner: group_id is required for a group runner")
	case *o.RunnerType == RunnerTypeProject && o.ProjectID == nil:
		return invalidArg("create runner: project_id is required for a project runner")
	}
	return nil
}

// UserRunner is a runner made with UsersService.CreateRunner: its ID and
// the authentication token to register it with.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#create-a-runner-linked-to-a-user
type UserRunner struct {
	ID int64 `json:"id"`
	// Token is the runner authentication token ("glrt-..."). GitLab sends
	// it only here: store Token.Value(). It prints and logs as
	// "REDACTED" (see Secret).
	Token Secret `json:"token"`
	// TokenExpiresAt is nil unless the request's TokenExpiresAt or the
	// instance's runner token expiration interval makes the token
	// expire.
	TokenExpiresAt *time.Time `json:"token_expires_at"`
}

// SupportPIN is a six-digit PIN a user gives GitLab Support to prove
// who they are. It expires seven days after it was made.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#create-a-support-pin
type SupportPIN struct {
	// PIN is the six digits; PIN.Value() reads them. It prints and logs
	// as "REDACTED" (see Secret).
	PIN       Secret     `json:"pin"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// CountAssociations counts a user's groups, projects, issues and merge
// requests. The user themself and administrators may call it; others
// get 403 (ErrForbidden).
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-a-count-of-a-users-projects-groups-issues-and-merge-requests
func (s *UsersService) CountAssociations(ctx context.Context, userID int64, opts ...RequestOption) (*UserAssociationsCount, *Response, error) {
	return do[*UserAssociationsCount](ctx, s.client, http.MethodGet, at("users", userID, "associations_count"), nil, opts)
}

// GetPreferences returns the current user's preferences. Any
// authenticated user may call it.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-your-user-preferences
func (s *UsersService) GetPreferences(ctx context.Context, opts ...RequestOption) (*UserPreferences, *Response, error) {
	return do[*UserPreferences](ctx, s.client, http.MethodGet, at("user", "preferences"), nil, opts)
}

// UpdatePreferences changes the current user's preferences that opt
// sets and returns them all. Any authenticated user may call it. opt
// must set at least one field: unlike every other method, a nil opt is
// ErrInvalidArgument.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#update-your-user-preferences
func (s *UsersService) UpdatePreferences(ctx context.Context, opt *UpdatePreferencesOptions, opts ...RequestOption) (*UserPreferences, *Response, error) {
	return do[*UserPreferences](ctx, s.client, http.MethodPut, at("user", "preferences"), opt, opts)
}

// UploadAvatar replaces the current user's avatar with an image (at most
// 200 KiB; png, jpg, gif, bmp, tiff, ico or webp) sent as multipart
// form data. Any authenticated user may call it. An administrator sets
// another user's avatar with Avatar in Create or Update.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#upload-an-avatar-for-yourself
func (s *UsersService) UploadAvatar(ctx context.Context, avatar *File, opts ...RequestOption) (*Avatar, *Response, error) {
	return do[*Avatar](ctx, s.client, http.MethodPut, at("user", "avatar"), &uploadAvatar{file: avatar}, opts)
}

// CreateRunner creates a runner owned by the current user and returns
// its authentication token. Administrators may create instance runners,
// group owners group runners and project maintainers project runners;
// others get 403 (ErrForbidden). The token needs the create_runner or
// api scope. It is never retried: each request makes a runner.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#create-a-runner-linked-to-a-user
func (s *UsersService) CreateRunner(ctx context.Context, opt *CreateUserRunnerOptions, opts ...RequestOption) (*UserRunner, *Response, error) {
	return do[*UserRunner](ctx, s.client, http.MethodPost, at("user", "runners"), opt, opts)
}

// CreateSupportPIN makes a new support PIN for the current user,
// replacing any previous one. Any authenticated user may call it.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#create-a-support-pin
func (s *UsersService) CreateSupportPIN(ctx context.Context, opts ...RequestOption) (*SupportPIN, *Response, error) {
	// A retry replaces a PIN whose answer was lost, which the caller
	// never saw: safe to repeat.
	return do[*SupportPIN](ctx, s.client, http.MethodPost, at("user", "support_pin").markIdempotent(), nil, opts)
}

// GetSupportPIN returns the current user's support PIN. Any
// authenticated user may call it. Without a PIN, or once it expired, it
// is 404 (ErrNotFound).
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-details-for-a-support-pin
func (s *UsersService) GetSupportPIN(ctx context.Context, opts ...RequestOption) (*SupportPIN, *Response, error) {
	return do[*SupportPIN](ctx, s.client, http.MethodGet, at("user", "support_pin"), nil, opts)
}

// GetSupportPINForUser returns a user's support PIN, to check the one
// the user gave. Administrators only. Without a PIN, or once it expired,
// it is 404 (ErrNotFound).
//
// GitLab API docs: https://docs.gitlab.com/api/users/#get-a-support-pin-for-a-user
func (s *UsersService) GetSupportPINForUser(ctx context.Context, userID int64, opts ...RequestOption) (*SupportPIN, *Response, error) {
	return do[*SupportPIN](ctx, s.client, http.MethodGet, at("users", userID, "support_pin"), nil, opts)
}

// RevokeSupportPINForUser makes a user's support PIN expire at once.
// Administrators only. A user without a PIN is 404 (ErrNotFound).
// GitLab answers 202 Accepted.
//
// GitLab API docs: https://docs.gitlab.com/api/users/#revoke-a-support-pin-for-a-user
func (s *UsersService) RevokeSupportPINForUser(ctx context.Context, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("users", userID, "support_pin", "revoke").markIdempotent(), nil, opts)
}
