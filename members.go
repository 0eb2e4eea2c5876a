package gitlab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MembersService manages the members of groups and projects: who is a
// direct member, who has access through an ancestor group or a shared
// group (the effective members), and adding, changing and removing
// members. The group-only methods cover seats (billable members, pending
// members awaiting a free seat, member state) and the LDAP override.
//
// Every method takes the group or project as a Source (GroupID,
// GroupPath, ProjectID, ProjectPath) or, for the group-only ones, a
// GroupRef. Members are named by user ID, except Approve, which takes a
// member ID (PendingMember.ID).
//
// Retries: each write's documentation says whether it is retried after
// a 5xx answer or a dropped connection. A write whose repeat GitLab
// refuses (adding a member who exists answers 409) is sent once when
// GitLab may have acted, and retried only on 429 and connections never
// made, so that an applied change is never reported as refused; after
// such an ambiguous failure, read the member to learn what happened.
//
// GitLab API docs: https://docs.gitlab.com/api/members/
type MembersService service

// MemberState is the state of a membership: active, or awaiting a free
// seat (a group with a user cap or GitLab.com's free user limit).
//
// GitLab API docs: https://docs.gitlab.com/api/members/#change-membership-state-of-a-user-in-a-group
type MemberState string

// The membership states GitLab knows.
const (
	MemberStateActive   MemberState = "active"
	MemberStateAwaiting MemberState = "awaiting"
)

func (MemberState) known() []string {
	return []string{string(MemberStateActive), string(MemberStateAwaiting)}
}

// Member is a member of a group or project: the user's public fields,
// the membership's level and dates and, on GitLab Enterprise Edition,
// seat, SAML and custom-role details. Fields GitLab did not send keep
// their zero value.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-all-members-of-a-group-or-project
type Member struct {
	// ID is the user's ID, which the other methods take as userID.
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	PublicEmail string    `json:"public_email"`
	Name        string    `json:"name"`
	State       UserState `json:"state"`
	// Locked is true while the account is locked after too many failed
	// sign-in attempts.
	Locked    bool   `json:"locked"`
	AvatarURL string `json:"avatar_url"`
	WebURL    string `json:"web_url"`
	// AccessLevel is the membership's role; in ListAll and GetEffective
	// the user's effective role in the source.
	AccessLevel AccessLevel `json:"access_level"`
	// CreatedAt is when the membership was created.
	CreatedAt *time.Time `json:"created_at"`
	// CreatedBy is who added the member; nil when GitLab recorded nobody,
	// or when the membership comes from a private group the caller
	// cannot see.
	CreatedBy *User `json:"created_by"`
	// ExpiresAt is the last day of the membership; nil when it does not
	// expire.
	ExpiresAt *ISODate `json:"expires_at"`
	// GroupSAMLIdentity is sent to Owners of a group with SAML single
	// sign-on (Enterprise Edition); nil otherwise.
	GroupSAMLIdentity *MemberSAMLIdentity `json:"group_saml_identity"`
	// GroupSCIMIdentity is sent to callers who may read the group's SCIM
	// identities (Enterprise Edition); nil otherwise.
	GroupSCIMIdentity *MemberSCIMIdentity `json:"group_scim_identity"`
	// Email is the user's primary email, sent to administrators, and to
	// the managers of an enterprise user (Enterprise Edition).
	Email string `json:"email"`
	// IsUsingSeat says whether the user takes a paid seat; sent only
	// when the list asks for ShowSeatInfo (Enterprise Edition).
	IsUsingSeat bool `json:"is_using_seat"`
	// Override is true for an LDAP-synchronized group member whose level
	// was set by hand (see MembersService.Override); sent for LDAP group
	// members only (Enterprise Edition).
	Override bool `json:"override"`
	// MembershipState is active or awaiting a free seat (Enterprise
	// Edition).
	MembershipState MemberState `json:"membership_state"`
	// MemberRole is the custom role of the membership (GitLab Ultimate);
	// nil when it has none.
	MemberRole *MemberRole `json:"member_role"`
}

// MemberSAMLIdentity is a member's identity with the group's SAML
// provider.
type MemberSAMLIdentity struct {
	Provider       string `json:"provider"`
	ExternUID      string `json:"extern_uid"`
	SAMLProviderID int64  `json:"saml_provider_id"`
}

// MemberSCIMIdentity is a member's identity with the group's SCIM
// provisioning.
type MemberSCIMIdentity struct {
	ExternUID string `json:"extern_uid"`
	GroupID   int64  `json:"group_id"`
	Active    bool   `json:"active"`
}

// MemberRole is a custom role (GitLab Ultimate): a base role plus
// permissions.
//
// GitLab API docs: https://docs.gitlab.com/api/member_roles/
type MemberRole struct {
	ID          int64  `json:"id"`
	GroupID     *int64 `json:"group_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	// BaseAccessLevel is the role the custom role builds on.
	BaseAccessLevel AccessLevel `json:"base_access_level"`
	// Permissions holds one entry per customizable permission GitLab
	// sends (read_code, admin_merge_request, ...): true when the role
	// grants it. GitLab adds permissions from release to release, so they
	// are a map rather than fields.
	Permissions map[string]bool `json:"-"`
}

// memberRoleFields is MemberRole without its methods.
type memberRoleFields MemberRole

// UnmarshalJSON reads the role's fields, and every boolean member of the
// object into Permissions (no other field of a role is a boolean).
func (r *MemberRole) UnmarshalJSON(b []byte) error {
	var f memberRoleFields
	if err := jsonUnmarshal(b, &f); err != nil {
		return err
	}
	var all map[string]any
	if err := jsonUnmarshal(b, &all); err != nil {
		return err
	}
	for k, v := range all {
		if p, ok := v.(bool); ok {
			if f.Permissions == nil {
				f.Permissions = map[string]bool{}
			}
			f.Permissions[k] = p
		}
	}
	*r = MemberRole(f)
	return nil
}

// MarshalJSON writes the role as GitLab does: its permissions as
// members of the object.
func (r MemberRole) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(memberRoleFields(r))
	if err != nil || len(r.Permissions) == 0 {
		return b, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for k, v := range r.Permissions {
		all[k] = json.RawMessage(strconv.FormatBool(v))
	}
	return json.Marshal(all)
}

// ListMembersOptions are the parameters of MembersService.List and
// ListIter (direct members).
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-all-members-of-a-group-or-project
type ListMembersOptions struct {
	ListOptions
	// Query matches the user's name or username (a fuzzy,
	// case-insensitive match) or their public email (exactly).
	Query *string `url:"query,omitempty"`
	// UserIDs keeps only these users, sent as user_ids[]=1.
	UserIDs []int64 `url:"user_ids,omitempty,brackets"`
	// SkipUsers leaves these users out (Enterprise Edition; GitLab's
	// Community Edition ignores it).
	SkipUsers []int64 `url:"skip_users,omitempty,brackets"`
	// ShowSeatInfo fills Member.IsUsingSeat (Enterprise Edition).
	ShowSeatInfo *bool `url:"show_seat_info,omitempty"`
	// WithSAMLIdentity keeps only members with an identity of the
	// group's SAML provider, for callers who may read them (Enterprise
	// Edition).
	WithSAMLIdentity *bool `url:"with_saml_identity,omitempty"`
}

// ListAllMembersOptions are the parameters of MembersService.ListAll and
// ListAllIter (effective members). GitLab takes fewer filters here than
// on the direct list: no skip_users and no with_saml_identity, and a
// state filter.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-all-members-of-a-group-or-project-including-inherited-and-invited-members
type ListAllMembersOptions struct {
	ListOptions
	// Query matches the user's name or username (a fuzzy,
	// case-insensitive match) or their public email (exactly).
	Query *string `url:"query,omitempty"`
	// UserIDs keeps only these users, sent as user_ids[]=1.
	UserIDs []int64 `url:"user_ids,omitempty,brackets"`
	// ShowSeatInfo fills Member.IsUsingSeat (Enterprise Edition).
	ShowSeatInfo *bool `url:"show_seat_info,omitempty"`
	// State keeps only active or only awaiting members (Enterprise
	// Edition).
	State *MemberState `url:"state,omitempty"`
}

// AddMemberOptions are the parameters of MembersService.Add: exactly
// one of UserID and Username, and AccessLevel.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#add-a-member-to-a-group-or-project
type AddMemberOptions struct {
	// UserID names the user to add by ID.
	UserID *int64 `url:"user_id,omitempty"`
	// Username names the user to add by username (GitLab matches it
	// case-sensitively here).
	Username *string `url:"username,omitempty"`
	// AccessLevel is the member's role. Required: GitLab has no default.
	AccessLevel *AccessLevel `url:"access_level,omitempty"`
	// ExpiresAt is the membership's last day; today or later.
	ExpiresAt *ISODate `url:"expires_at,omitempty"`
	// InviteSource tells GitLab's usage tracking where the addition came
	// from (GitLab's default: "members-api").
	InviteSource *string `url:"invite_source,omitempty"`
	// MemberRoleID assigns a custom role (GitLab Ultimate).
	MemberRoleID *int64 `url:"member_role_id,omitempty"`
}

func (o *AddMemberOptions) validate() error {
	const what = "add member"
	switch {
	case o == nil:
		return invalidArg("%s: options are required (user and access level)", what)
	case o.UserID != nil && o.Username != nil:
		return invalidArg("%s: user_id and username are mutually exclusive", what)
	case o.UserID == nil && o.Username == nil:
		return invalidArg("%s: user_id or username is required", what)
	case o.UserID != nil && *o.UserID <= 0:
		return invalidArg("%s: user_id must be positive, got %d", what, *o.UserID)
	case o.Username != nil && *o.Username == "":
		return invalidArg("%s: username must not be empty", what)
	case o.Username != nil && strings.Contains(*o.Username, ","):
		// GitLab would take a comma as a list of users (AddMany's path).
		return invalidArg("%s: username %q contains a comma; use AddMany for several users", what, *o.Username)
	}
	return validMemberLevel(what, o.AccessLevel, true)
}

// AddMembersOptions are the parameters of MembersService.AddMany:
// exactly one of UserIDs and Usernames (at most 100 users), and
// AccessLevel, which applies to every user.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#add-a-member-to-a-group-or-project
type AddMembersOptions struct {
	// UserIDs names the users to add by ID.
	UserIDs []int64
	// Usernames names the users to add by username (GitLab matches them
	// case-insensitively here, and drops unknown ones).
	Usernames []string
	// AccessLevel is the members' role. Required.
	AccessLevel *AccessLevel
	// ExpiresAt is the memberships' last day; today or later.
	ExpiresAt *ISODate
	// InviteSource tells GitLab's usage tracking where the addition came
	// from (GitLab's default: "members-api").
	InviteSource *string
	// MemberRoleID assigns a custom role (GitLab Ultimate).
	MemberRoleID *int64
}

// maxBulkUsers is the most users GitLab adds or invites in one request
// (Members::CreateService::DEFAULT_INVITE_LIMIT).
const maxBulkUsers = 100

func (o *AddMembersOptions) validate() error {
	const what = "add members"
	switch {
	case o == nil:
		return invalidArg("%s: options are required (users and access level)", what)
	case len(o.UserIDs) > 0 && len(o.Usernames) > 0:
		return invalidArg("%s: user_ids and usernames are mutually exclusive", what)
	case len(o.UserIDs) == 0 && len(o.Usernames) == 0:
		return invalidArg("%s: at least one user ID or username is required", what)
	case len(o.UserIDs)+len(o.Usernames) > maxBulkUsers:
		return invalidArg("%s: at most %d users at once, got %d", what, maxBulkUsers, len(o.UserIDs)+len(o.Usernames))
	}
	for _, id := range o.UserIDs {
		if id <= 0 {
			return invalidArg("%s: user IDs must be positive, got %d", what, id)
		}
	}
	for _, u := range o.Usernames {
		if u == "" || strings.ContainsAny(u, ", ") {
			return invalidArg("%s: username %q is empty or contains a comma or a space", what, u)
		}
	}
	return validMemberLevel(what, o.AccessLevel, true)
}

// addMembersBody is the form AddMany sends: the users as GitLab's
// comma-separated user_id or username. One user gets a trailing comma,
// because GitLab takes its bulk path (and answers with a status object)
// only when the value contains a comma; it drops the empty entry.
type addMembersBody struct {
	UserID       *string      `url:"user_id,omitempty"`
	Username     *string      `url:"username,omitempty"`
	AccessLevel  *AccessLevel `url:"access_level,omitempty"`
	ExpiresAt    *ISODate     `url:"expires_at,omitempty"`
	InviteSource *string      `url:"invite_source,omitempty"`
	MemberRoleID *int64       `url:"member_role_id,omitempty"`
}

func (o *AddMembersOptions) body() *addMembersBody {
	list := func(items []string) *string {
		s := strings.Join(items, ",")
		if len(items) == 1 {
			s += ","
		}
		return &s
	}
	b := &addMembersBody{AccessLevel: o.AccessLevel, ExpiresAt: o.ExpiresAt, InviteSource: o.InviteSource, MemberRoleID: o.MemberRoleID}
	if len(o.UserIDs) > 0 {
		ids := make([]string, len(o.UserIDs))
		for i, id := range o.UserIDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		b.UserID = list(ids)
	} else {
		b.Username = list(o.Usernames)
	}
	return b
}

// AddMembersStatus is the overall status of a bulk add or invitation.
type AddMembersStatus string

// The statuses of AddMembersResult and InvitationResult.
const (
	AddMembersSuccess AddMembersStatus = "success"
	AddMembersError   AddMembersStatus = "error"
)

// AddMembersResult is GitLab's answer to MembersService.AddMany: a
// status, not the members. GitLab answers 201 whether or not every user
// was added: Status is AddMembersError when at least one was not, and
// the users that could be added were added.
//
// GitLab words the failures of a bulk add as one sentence
// ("alice: Access level is not included in the list and bob: Expires
// at cannot be a date in the past"), which Message keeps as sent;
// Failures splits it per user, keyed by the username GitLab prefixed.
// A failure of the whole request (too many users, none given, a
// membership lock, no seats left) names no user: Failures is empty and
// Message and Reason say why. Where GitLab sends a message per user as
// an object (as its invitations API does), Failures is that object and
// Message is empty.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#add-a-member-to-a-group-or-project
type AddMembersResult struct {
	Status AddMembersStatus
	// Message is GitLab's error text as sent; empty on success and when
	// GitLab sent one message per user.
	Message string
	// Failures maps each user GitLab reported (username, or the email of
	// an invitation) to why it was not added.
	Failures map[string]string
	// Reason is GitLab's code for a whole-request failure:
	// "blank_invites_error", "too_many_invites_error",
	// "membership_locked_error", "seat_limit_exceeded_error".
	Reason string
	// HTTPStatus is "unauthorized" when a user failed because the caller
	// may not add or update them.
	HTTPStatus string
	// QueuedUsers maps users whose promotion waits for an
	// administrator's approval to GitLab's message (Enterprise Edition);
	// they are not members yet.
	QueuedUsers map[string]string
}

// Failed reports whether GitLab reported any failure.
func (r *AddMembersResult) Failed() bool { return r.Status != AddMembersSuccess }

// bulkWire is the JSON of a bulk answer.
type bulkWire struct {
	Status      AddMembersStatus  `json:"status"`
	Message     json.RawMessage   `json:"message,omitempty"`
	Reason      string            `json:"reason,omitempty"`
	HTTPStatus  string            `json:"http_status,omitempty"`
	QueuedUsers map[string]string `json:"queued_users,omitempty"`
}

// UnmarshalJSON reads GitLab's bulk answer, whose message is a sentence
// or an object of one message per user.
func (r *AddMembersResult) UnmarshalJSON(b []byte) error {
	var w struct {
		Status      AddMembersStatus  `json:"status"`
		Message     rawValue          `json:"message"`
		Reason      string            `json:"reason"`
		HTTPStatus  string            `json:"http_status"`
		QueuedUsers map[string]string `json:"queued_users"`
	}
	if err := jsonUnmarshal(b, &w); err != nil {
		return err
	}
	out := AddMembersResult{Status: w.Status, Reason: w.Reason, HTTPStatus: w.HTTPStatus, QueuedUsers: w.QueuedUsers}
	m := bytes.TrimSpace(w.Message)
	switch {
	case len(m) == 0 || bytes.Equal(m, []byte("null")):
	case m[0] == '"':
		if err := jsonUnmarshal(m, &out.Message); err != nil {
			return err
		}
		out.Failures = splitFailures(out.Message)
	case m[0] == '{':
		var per map[string]rawValue
		if err := jsonUnmarshal(m, &per); err != nil {
			return err
		}
		out.Failures = make(map[string]string, len(per))
		for k, v := range per {
			out.Failures[k] = messageText(v)
		}
	default:
		return errors.New("gitlab: bulk answer: message is neither text nor an object")
	}
	*r = out
	return nil
}

// MarshalJSON writes the result in GitLab's shape.
func (r AddMembersResult) MarshalJSON() ([]byte, error) {
	w := bulkWire{Status: r.Status, Reason: r.Reason, HTTPStatus: r.HTTPStatus, QueuedUsers: r.QueuedUsers}
	var err error
	if r.Message == "" && len(r.Failures) > 0 {
		w.Message, err = json.Marshal(r.Failures)
	} else if r.Message != "" {
		w.Message, err = json.Marshal(r.Message)
	}
	if err != nil {
		return nil, err
	}
	return json.Marshal(w)
}

// rawValue is a JSON value kept undecoded.
type rawValue []byte

// UnmarshalJSON keeps a copy of the value.
func (v *rawValue) UnmarshalJSON(b []byte) error {
	*v = append((*v)[:0], b...)
	return nil
}

// messageText is one user's message: a string as it is; a list of
// strings joined; anything else as its JSON text.
func messageText(v rawValue) string {
	var s string
	if jsonUnmarshal(v, &s) == nil {
		return s
	}
	var list []string
	if jsonUnmarshal(v, &list) == nil {
		return strings.Join(list, ", ")
	}
	return string(bytes.TrimSpace(v))
}

// failurePrefix finds where one user's part of GitLab's sentence starts:
// at the start, or after Rails' to_sentence connectors (", ", ", and ",
// " and "), a username (no space, comma or colon) followed by ": ", as
// Members::CreateService#add_error_for_member writes it.
var failurePrefix = regexp.MustCompile(`(?:^|, and |, | and )([^\s,:]+): `)

// splitFailures splits GitLab's sentence of per-user errors into a map
// from username to reason. Text before the first username is left out
// (it stays in Message).
func splitFailures(msg string) map[string]string {
	locs := failurePrefix.FindAllStringSubmatchIndex(msg, -1)
	if len(locs) == 0 {
		return nil
	}
	out := make(map[string]string, len(locs))
	for i, l := range locs {
		end := len(msg)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		out[msg[l[2]:l[3]]] = msg[l[1]:end]
	}
	return out
}

// UpdateMemberOptions are the parameters of MembersService.Update.
// AccessLevel is required: GitLab does not change only the expiry.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#edit-a-member-of-a-group-or-project
type UpdateMemberOptions struct {
	// AccessLevel is the member's new role. Required.
	AccessLevel *AccessLevel `url:"access_level,omitempty"`
	// ExpiresAt is the membership's new last day; today or later.
	ExpiresAt *ISODate `url:"expires_at,omitempty"`
	// MemberRoleID assigns a custom role (GitLab Ultimate).
	MemberRoleID *int64 `url:"member_role_id,omitempty"`
}

func (o *UpdateMemberOptions) validate() error {
	if o == nil {
		return invalidArg("update member: options are required (access level)")
	}
	return validMemberLevel("update member", o.AccessLevel, true)
}

// RemoveMemberOptions are the parameters of MembersService.Remove.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#remove-a-member-from-a-group-or-project
type RemoveMemberOptions struct {
	// SkipSubresources keeps the user's direct memberships in the
	// group's subgroups and projects (GitLab's default, false, removes
	// them too, with the pending invitations the user created).
	SkipSubresources *bool `url:"skip_subresources,omitempty"`
	// UnassignIssuables unassigns the user from every issue and merge
	// request of the group or project (in the background).
	UnassignIssuables *bool `url:"unassign_issuables,omitempty"`
}

// validMemberLevel refuses a role GitLab does not give a membership:
// GitLab's roles from Guest to Owner, and Minimal Access (top-level
// groups on Enterprise Edition only, which GitLab itself checks).
// required says a nil level is refused too.
func validMemberLevel(what string, l *AccessLevel, required bool) error {
	if l == nil {
		if required {
			return invalidArg("%s: access_level is required", what)
		}
		return nil
	}
	if !slices.Contains(memberLevels, *l) {
		return invalidArg("%s: access_level %d (%s) is not a membership role", what, int(*l), *l)
	}
	return nil
}

// memberLevels are the roles of Gitlab::Access.all_values (lib/gitlab/access.rb)
// plus Minimal Access (ee/lib/ee/gitlab/access.rb).
var memberLevels = []AccessLevel{
	AccessLevelMinimal, AccessLevelGuest, AccessLevelPlanner, AccessLevelReporter,
	AccessLevelSecurityManager, AccessLevelDeveloper, AccessLevelMaintainer, AccessLevelOwner,
}

// List returns one page of the direct members of a group or project
// (not those who have access through an ancestor or a shared group: see
// ListAll). Email invitations are not listed (see InvitationsService);
// blocked users and members awaiting a seat are. Anyone who can see the
// project, or is a member of the group (any member, for a private
// group), may call it.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-all-members-of-a-group-or-project
func (s *MembersService) List(ctx context.Context, src Source, opt *ListMembersOptions, opts ...RequestOption) ([]*Member, *Response, error) {
	return doList[*Member](ctx, s.client, at(in(src), "members"), opt, opts)
}

// ListIter yields every member List would return, across pages.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-all-members-of-a-group-or-project
func (s *MembersService) ListIter(ctx context.Context, src Source, opt *ListMembersOptions, opts ...RequestOption) iter.Seq2[*Member, error] {
	return iterate[*Member](ctx, s.client, at(in(src), "members"), opt, opts)
}

// ListAll returns one page of the effective members of a group or
// project: its direct members, the members of its ancestor groups, and
// the members of the groups it (or an ancestor) is shared with, one row
// per user with their highest role (capped, for a shared group, at the
// share's role). Callers as for List. GitLab rate-limits it (by default
// 200 requests a minute per user).
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-all-members-of-a-group-or-project-including-inherited-and-invited-members
func (s *MembersService) ListAll(ctx context.Context, src Source, opt *ListAllMembersOptions, opts ...RequestOption) ([]*Member, *Response, error) {
	return doList[*Member](ctx, s.client, at(in(src), "members", "all"), opt, opts)
}

// ListAllIter yields every member ListAll would return, across pages.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-all-members-of-a-group-or-project-including-inherited-and-invited-members
func (s *MembersService) ListAllIter(ctx context.Context, src Source, opt *ListAllMembersOptions, opts ...RequestOption) iter.Seq2[*Member, error] {
	return iterate[*Member](ctx, s.client, at(in(src), "members", "all"), opt, opts)
}

// Get returns a direct member of a group or project. A user who is not a
// direct member is 404 (ErrNotFound) "404 Not found", even when they
// have access through an ancestor (see GetEffective). Callers as for
// List.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#get-a-member-of-a-group-or-project
func (s *MembersService) Get(ctx context.Context, src Source, userID int64, opts ...RequestOption) (*Member, *Response, error) {
	return do[*Member](ctx, s.client, http.MethodGet, at(in(src), "members", userID), nil, opts)
}

// GetEffective returns a user's effective membership of a group or
// project: their highest role there, direct, inherited or through a
// shared group. Callers as for List.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#get-a-member-of-a-group-or-project-including-inherited-and-invited-members
func (s *MembersService) GetEffective(ctx context.Context, src Source, userID int64, opts ...RequestOption) (*Member, *Response, error) {
	return do[*Member](ctx, s.client, http.MethodGet, at(in(src), "members", "all", userID), nil, opts)
}

// Add makes one user a direct member of a group or project. Group
// Owners, and project Maintainers and Owners, may call it (only Owners
// may add an Owner to a project); nobody may grant a role above their
// own. A user with a pending access request becomes a member.
//
// GitLab's refusals: 404 (ErrNotFound) "404 User Not Found"; 409
// (ErrConflict) "Member already exists"; 403 (ErrForbidden); 400
// (ErrBadRequest) with Fields such as expires_at "cannot be a date in
// the past" or access_level "is not included in the list", or a message
// such as "the member access level can't be higher than the current
// user's one".
//
// Add is not retried once it may have reached GitLab: after an applied
// first attempt whose answer was lost, a repeat gets that 409, which
// reads as "not applied". After a 5xx or a dropped connection, Get the
// member to see whether it happened.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#add-a-member-to-a-group-or-project
func (s *MembersService) Add(ctx context.Context, src Source, opt *AddMemberOptions, opts ...RequestOption) (*Member, *Response, error) {
	return do[*Member](ctx, s.client, http.MethodPost, at(in(src), "members"), opt, opts)
}

// AddMany makes several users (at most 100) direct members of a group or
// project at one role. Callers as for Add. GitLab answers 201 with a
// status whether or not every user was added; the result's Failures say
// which users were not, and why. Users who are members already are not
// refused: their role and expiry are updated, when the caller may.
// Unknown user IDs and usernames are dropped without a failure; List the
// members to check. Add takes one user and returns the member.
//
// AddMany is retried like a PUT: a repeat adds no one twice (it updates
// the members the first attempt added to the same role and expiry) and
// gets the same status.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#add-a-member-to-a-group-or-project
func (s *MembersService) AddMany(ctx context.Context, src Source, opt *AddMembersOptions, opts ...RequestOption) (*AddMembersResult, *Response, error) {
	if err := opt.validate(); err != nil {
		return nil, nil, err
	}
	return do[*AddMembersResult](ctx, s.client, http.MethodPost, at(in(src), "members").markIdempotent(), opt.body(), opts)
}

// Update changes a direct member's role, expiry or custom role. Group
// Owners, and project Maintainers and Owners, may call it. GitLab
// refuses (403, ErrForbidden) to change the last Owner of a group, a
// bot, the holder of a personal project, an LDAP-synchronized member
// without an override, or to grant a role above the caller's. Update is
// retried like every PUT: a repeat sets the same values.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#edit-a-member-of-a-group-or-project
func (s *MembersService) Update(ctx context.Context, src Source, userID int64, opt *UpdateMemberOptions, opts ...RequestOption) (*Member, *Response, error) {
	return do[*Member](ctx, s.client, http.MethodPut, at(in(src), "members", userID), opt, opts)
}

// Remove removes a direct member from a group or project; from a group
// also (unless SkipSubresources) from its subgroups and projects.
// Group Owners and project Maintainers may remove members (only Owners
// may remove a project Owner), and every member may remove themself;
// nobody may remove the last Owner of a group (403, ErrForbidden). A
// user who is not a direct member is 404 (ErrNotFound): inherited
// members are removed where they are direct, or with RemoveBillable.
// GitLab rate-limits it (by default 60 a minute per source and caller).
//
// Remove is retried like every DELETE: when the answer to an applied
// first attempt is lost, the retry answers 404 (with
// ErrorResponse.Attempts above 1).
//
// GitLab API docs: https://docs.gitlab.com/api/members/#remove-a-member-from-a-group-or-project
func (s *MembersService) Remove(ctx context.Context, src Source, userID int64, opt *RemoveMemberOptions, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at(in(src), "members", userID), opt, opts)
}

// --- groups only: seats, pending members, LDAP override ---------------

// BillableMember is a user who takes a seat in a top-level group's
// subscription: a member of the group, of a subgroup or project, or of a
// group invited into one of them.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-all-billable-members-of-a-group
type BillableMember struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	PublicEmail string    `json:"public_email"`
	Name        string    `json:"name"`
	State       UserState `json:"state"`
	Locked      bool      `json:"locked"`
	AvatarURL   string    `json:"avatar_url"`
	WebURL      string    `json:"web_url"`
	// Email is the user's public email, or their primary email for
	// administrators and the managers of an enterprise user; nil when
	// there is none to show.
	Email          *string  `json:"email"`
	LastActivityOn *ISODate `json:"last_activity_on"`
	// MembershipType is the first of group_member, project_member,
	// group_invite and project_invite that applies to the user.
	MembershipType BillableMembershipType `json:"membership_type"`
	// Removable is true when the user has a membership in the hierarchy
	// (rather than only through an invited group), so RemoveBillable can
	// remove them.
	Removable bool `json:"removable"`
	// CreatedAt is when the user's account was created.
	CreatedAt   *time.Time `json:"created_at"`
	IsLastOwner bool       `json:"is_last_owner"`
	LastLoginAt *time.Time `json:"last_login_at"`
}

// BillableMembershipType is how a billable member takes their seat.
type BillableMembershipType string

// The values of BillableMember.MembershipType.
const (
	BillableGroupMember   BillableMembershipType = "group_member"
	BillableProjectMember BillableMembershipType = "project_member"
	BillableGroupInvite   BillableMembershipType = "group_invite"
	BillableProjectInvite BillableMembershipType = "project_invite"
)

// BillableMemberSort is an order of ListBillableMembersOptions.Sort.
type BillableMemberSort string

// The orders GitLab accepts for billable members. GitLab accepts
// access_level_asc, access_level_desc, last_joined and oldest_joined but
// sorts by user ID for them.
const (
	BillableMemberSortAccessLevelAsc     BillableMemberSort = "access_level_asc"
	BillableMemberSortAccessLevelDesc    BillableMemberSort = "access_level_desc"
	BillableMemberSortLastJoined         BillableMemberSort = "last_joined"
	BillableMemberSortNameAsc            BillableMemberSort = "name_asc"
	BillableMemberSortNameDesc           BillableMemberSort = "name_desc"
	BillableMemberSortOldestJoined       BillableMemberSort = "oldest_joined"
	BillableMemberSortOldestSignIn       BillableMemberSort = "oldest_sign_in"
	BillableMemberSortRecentSignIn       BillableMemberSort = "recent_sign_in"
	BillableMemberSortLastActivityOnAsc  BillableMemberSort = "last_activity_on_asc"
	BillableMemberSortLastActivityOnDesc BillableMemberSort = "last_activity_on_desc"
)

func (BillableMemberSort) known() []string {
	return []string{
		string(BillableMemberSortAccessLevelAsc), string(BillableMemberSortAccessLevelDesc), string(BillableMemberSortLastJoined),
		string(BillableMemberSortNameAsc), string(BillableMemberSortNameDesc), string(BillableMemberSortOldestJoined),
		string(BillableMemberSortOldestSignIn), string(BillableMemberSortRecentSignIn),
		string(BillableMemberSortLastActivityOnAsc), string(BillableMemberSortLastActivityOnDesc),
	}
}

// ListBillableMembersOptions are the parameters of
// MembersService.ListBillable and ListBillableIter.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-all-billable-members-of-a-group
type ListBillableMembersOptions struct {
	ListOptions
	// Search matches the user's name or username (a fuzzy match) or
	// their public email (exactly).
	Search *string `url:"search,omitempty"`
	// Sort orders the list (GitLab's default: by user ID).
	Sort *BillableMemberSort `url:"sort,omitempty"`
}

// BillableMembership is one membership of a billable member in a
// top-level group's hierarchy.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-memberships-for-a-billable-member-of-a-group
type BillableMembership struct {
	// ID is the membership's (member) ID.
	ID               int64               `json:"id"`
	SourceID         int64               `json:"source_id"`
	SourceFullName   string              `json:"source_full_name"`
	SourceMembersURL string              `json:"source_members_url"`
	CreatedAt        *time.Time          `json:"created_at"`
	ExpiresAt        *ISODate            `json:"expires_at"`
	AccessLevel      BillableAccessLevel `json:"access_level"`
}

// BillableAccessLevel is the role of a BillableMembership.
type BillableAccessLevel struct {
	// StringValue is the role's name, or the custom role's name.
	StringValue  string      `json:"string_value"`
	IntegerValue AccessLevel `json:"integer_value"`
	// CustomRole is the membership's custom role; nil when it has none.
	CustomRole *CustomRoleRef `json:"custom_role"`
}

// CustomRoleRef names a custom role.
type CustomRoleRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// PendingMember is a membership awaiting a free seat, or an invitation,
// in a top-level group's hierarchy.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-pending-members-of-a-group-and-its-subgroups-and-projects
type PendingMember struct {
	// ID is the membership's (member) ID, which Approve takes.
	ID int64 `json:"id"`
	// Name, Username and WebURL are empty for an invitation of an email
	// without an account.
	Name     string `json:"name"`
	Username string `json:"username"`
	WebURL   string `json:"web_url"`
	// Email is the invited email, or the user's primary email.
	Email     string `json:"email"`
	Invited   bool   `json:"invited"`
	AvatarURL string `json:"avatar_url"`
	// Approved is true once the membership is active.
	Approved bool `json:"approved"`
}

// ListBillable returns one page of the billable members of a top-level
// group. Owners and administrators may call it; GitLab answers 400
// (ErrBadRequest) for a subgroup and for other callers.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-all-billable-members-of-a-group
func (s *MembersService) ListBillable(ctx context.Context, group GroupRef, opt *ListBillableMembersOptions, opts ...RequestOption) ([]*BillableMember, *Response, error) {
	return doList[*BillableMember](ctx, s.client, at("groups", group, "billable_members"), opt, opts)
}

// ListBillableIter yields every billable member ListBillable would
// return, across pages.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-all-billable-members-of-a-group
func (s *MembersService) ListBillableIter(ctx context.Context, group GroupRef, opt *ListBillableMembersOptions, opts ...RequestOption) iter.Seq2[*BillableMember, error] {
	return iterate[*BillableMember](ctx, s.client, at("groups", group, "billable_members"), opt, opts)
}

// ListBillableMemberships returns one page of a billable member's direct
// memberships in a top-level group's hierarchy. Callers as for
// ListBillable. An unknown user is 404 "404 Not found"; a user who is
// not billable there, 404 "404 User Not Found".
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-memberships-for-a-billable-member-of-a-group
func (s *MembersService) ListBillableMemberships(ctx context.Context, group GroupRef, userID int64, opt *ListOptions, opts ...RequestOption) ([]*BillableMembership, *Response, error) {
	return doList[*BillableMembership](ctx, s.client, at("groups", group, "billable_members", userID, "memberships"), opt, opts)
}

// ListBillableMembershipsIter yields every membership
// ListBillableMemberships would return, across pages.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-memberships-for-a-billable-member-of-a-group
func (s *MembersService) ListBillableMembershipsIter(ctx context.Context, group GroupRef, userID int64, opt *ListOptions, opts ...RequestOption) iter.Seq2[*BillableMembership, error] {
	return iterate[*BillableMembership](ctx, s.client, at("groups", group, "billable_members", userID, "memberships"), opt, opts)
}

// ListBillableIndirectMemberships returns one page of a billable
// member's memberships through groups invited into a top-level group's
// hierarchy (its direct memberships are not included). Callers and
// errors as for ListBillableMemberships. GitLab marks it experimental.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-indirect-memberships-for-a-billable-member-of-a-group
func (s *MembersService) ListBillableIndirectMemberships(ctx context.Context, group GroupRef, userID int64, opt *ListOptions, opts ...RequestOption) ([]*BillableMembership, *Response, error) {
	return doList[*BillableMembership](ctx, s.client, at("groups", group, "billable_members", userID, "indirect"), opt, opts)
}

// ListBillableIndirectMembershipsIter yields every membership
// ListBillableIndirectMemberships would return, across pages.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-indirect-memberships-for-a-billable-member-of-a-group
func (s *MembersService) ListBillableIndirectMembershipsIter(ctx context.Context, group GroupRef, userID int64, opt *ListOptions, opts ...RequestOption) iter.Seq2[*BillableMembership, error] {
	return iterate[*BillableMembership](ctx, s.client, at("groups", group, "billable_members", userID, "indirect"), opt, opts)
}

// RemoveBillable removes a user from a top-level group's whole
// hierarchy: every membership in the group, its subgroups and their
// projects, which frees their seat. GitLab does it in the background
// (within minutes) and answers 204 once it is scheduled. Owners and
// administrators may call it; GitLab answers 400 (ErrBadRequest) for a
// subgroup ("Must be a root namespace"), for other callers ("User not
// authorized"), and while the user is already scheduled.
//
// RemoveBillable is not retried once it may have reached GitLab: a
// repeat of an applied first attempt gets that last 400, which reads as
// "not applied". After a 5xx or a dropped connection, list the user's
// billable memberships to see whether they are going.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#remove-a-billable-member-from-a-group
func (s *MembersService) RemoveBillable(ctx context.Context, group GroupRef, userID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("groups", group, "billable_members", userID).markOnce(), nil, opts)
}

// memberStateBody is the form of SetState.
type memberStateBody struct {
	State MemberState `url:"state"`
}

// SetState sets every membership of a user in a top-level group's
// hierarchy to active (taking a seat) or awaiting. Owners and
// administrators may call it (others, and subgroups, get 400). GitLab
// refuses with 422 when nothing changes ("No memberships found"), for
// the last Owner, and for the caller themself.
//
// SetState is not retried once it may have reached GitLab: a repeat of
// an applied first attempt gets that 422, which reads as "not applied".
// After a 5xx or a dropped connection, list the members (ListAll with a
// State filter) to see whether it happened.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#change-membership-state-of-a-user-in-a-group
func (s *MembersService) SetState(ctx context.Context, group GroupRef, userID int64, state MemberState, opts ...RequestOption) (*Response, error) {
	if !slices.Contains(state.known(), string(state)) {
		return nil, invalidArg("set member state: state %q is not one of %s", state, strings.Join(state.known(), ", "))
	}
	return doNoValue(ctx, s.client, http.MethodPut, at("groups", group, "members", userID, "state").markOnce(), &memberStateBody{state}, opts)
}

// ListPending returns one page of the memberships awaiting a seat, and
// the invitations, in a top-level group's hierarchy: one row per user
// or invited email. Owners and administrators may call it; GitLab
// answers 400 (ErrBadRequest) for a subgroup and for other callers.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-pending-members-of-a-group-and-its-subgroups-and-projects
func (s *MembersService) ListPending(ctx context.Context, group GroupRef, opt *ListOptions, opts ...RequestOption) ([]*PendingMember, *Response, error) {
	return doList[*PendingMember](ctx, s.client, at("groups", group, "pending_members"), opt, opts)
}

// ListPendingIter yields every pending member ListPending would return,
// across pages.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#list-pending-members-of-a-group-and-its-subgroups-and-projects
func (s *MembersService) ListPendingIter(ctx context.Context, group GroupRef, opt *ListOptions, opts ...RequestOption) iter.Seq2[*PendingMember, error] {
	return iterate[*PendingMember](ctx, s.client, at("groups", group, "pending_members"), opt, opts)
}

// Approve activates a pending member: every awaiting membership of that
// user (or invited email) in the top-level group's hierarchy. memberID
// is PendingMember.ID, a member ID, not a user ID. Owners and
// administrators may call it; GitLab answers 400 (ErrBadRequest) for a
// subgroup, for other callers, and when nothing awaits ("400 Bad request
// - No memberships found"), and 404 for an unknown member ID.
//
// Approve is not retried once it may have reached GitLab: a repeat of an
// applied first attempt gets "No memberships found", which reads as
// "not applied". After a 5xx or a dropped connection, ListPending shows
// whether the member is still awaiting.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#approve-a-member-for-a-group
func (s *MembersService) Approve(ctx context.Context, group GroupRef, memberID int64, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPut, at("groups", group, "members", memberID, "approve").markOnce(), nil, opts)
}

// ApproveAll activates every awaiting membership in a top-level group's
// hierarchy. Callers and errors as for Approve ("No memberships found"
// when nothing awaits), and, as a POST, it is not retried once it may
// have reached GitLab: after a 5xx or a dropped connection, see
// ListPending.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#approve-all-pending-members-for-a-group
func (s *MembersService) ApproveAll(ctx context.Context, group GroupRef, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodPost, at("groups", group, "members", "approve_all"), nil, opts)
}

// Override lets a member of an LDAP-synchronized group keep a role set
// by hand (Update) instead of the one LDAP synchronization gives;
// GitLab answers the member with Override true. Administrators may call
// it, and Owners where the instance lets them manage LDAP; 403
// (ErrForbidden) for other callers and for members not from LDAP.
// Override is retried like a PUT: a repeat sets the same flag.
//
// GitLab API docs: https://docs.gitlab.com/api/members/#override-a-member-of-a-group-synced-with-ldap
func (s *MembersService) Override(ctx context.Context, group GroupRef, userID int64, opts ...RequestOption) (*Member, *Response, error) {
	return do[*Member](ctx, s.client, http.MethodPost, at("groups", group, "members", userID, "override").markIdempotent(), nil, opts)
}

// RemoveOverride gives an LDAP-synchronized member back to LDAP: the
// next synchronization may change their role. GitLab answers the member
// with Override false. Callers as for Override; retried like every
// DELETE (a repeat clears the same flag).
//
// GitLab API docs: https://docs.gitlab.com/api/members/#remove-an-override-for-a-member-of-a-group-synced-with-ldap
func (s *MembersService) RemoveOverride(ctx context.Context, group GroupRef, userID int64, opts ...RequestOption) (*Member, *Response, error) {
	return do[*Member](ctx, s.client, http.MethodDelete, at("groups", group, "members", userID, "override"), nil, opts)
}
