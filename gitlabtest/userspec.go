package gitlabtest

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

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
	// Token is the secret of the token CreateUser makes; empty makes a
	// random one.
	Token string
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

// addUser stores a user from spec without validation (seeding).
func addUser(st *model.Store, spec UserSpec, now time.Time) *user {
	return addUserIn(st, new(user), new(email), spec, now)
}

// addUserIn is addUser storing the user in u and its primary email in
// e, which GenerateUsers allocates in blocks.
func addUserIn(st *model.Store, u *user, e *email, spec UserSpec, now time.Time) *user {
	s := &u.UserData
	s.Username = spec.Username
	s.Name = cmp.Or(spec.Name, spec.Username)
	s.Email = cmp.Or(spec.Email, strings.ToLower(spec.Username)+"@example.com")
	s.PublicEmail, s.CommitEmail, s.Password = spec.PublicEmail, spec.CommitEmail, spec.Password
	u.State = model.UserState(cmp.Or(spec.State, StateActive))
	s.Admin, s.Bot, s.Locked, s.External = spec.Admin, spec.Bot, spec.Locked, spec.External
	s.PrivateProfile, s.TwoFactorEnabled = spec.PrivateProfile, spec.TwoFactorEnabled
	s.ServiceAccount, s.ProvisionedByGroupID, s.ProvisionedByProjectID = spec.ServiceAccount, spec.ProvisionedByGroupID, spec.ProvisionedByProjectID
	if s.ServiceAccount {
		s.Bot = true // GitLab counts service accounts among its bot user types
	}
	s.FollowingEnabled = !spec.DisableFollowing
	s.Bio, s.Location, s.Skype, s.Linkedin, s.Twitter, s.Discord = spec.Bio, spec.Location, spec.Skype, spec.Linkedin, spec.Twitter, spec.Discord
	s.WebsiteURL, s.Organization, s.JobTitle, s.Pronouns = spec.WebsiteURL, spec.Organization, spec.JobTitle, spec.Pronouns
	s.WorkInformation, s.Note = spec.WorkInformation, spec.Note
	s.ProjectsLimit = model.DefaultProjectsLimit
	if spec.ProjectsLimit != nil {
		s.ProjectsLimit = *spec.ProjectsLimit
	}
	s.CanCreateGroup = true
	if spec.CanCreateGroup != nil {
		s.CanCreateGroup = *spec.CanCreateGroup
	}
	s.ThemeID, s.ColorSchemeID = model.DefaultThemeID, model.DefaultColorSchemeID
	s.Identities = slices.Clone(spec.Identities)
	s.CustomAttributes = maps.Clone(spec.CustomAttributes)
	s.Counts = spec.Counts
	s.IssuesAuthored, s.MergeRequestsAuthored = spec.IssuesAuthored, spec.MergeRequestsAuthored
	s.CreatedAt = now
	if !spec.CreatedAt.IsZero() {
		s.CreatedAt = spec.CreatedAt.UTC()
	}
	s.UpdatedAt = s.CreatedAt
	if !spec.Unconfirmed {
		s.ConfirmedAt = model.PtrTime(s.CreatedAt)
	}
	if !spec.LastActivityOn.IsZero() {
		s.LastActivityOn = model.PtrTime(model.DayOf(spec.LastActivityOn))
	}
	if !spec.LastSignInAt.IsZero() {
		s.LastSignInAt = model.PtrTime(spec.LastSignInAt.UTC())
	}
	if !spec.CurrentSignInAt.IsZero() {
		s.CurrentSignInAt = model.PtrTime(spec.CurrentSignInAt.UTC())
	}
	s.LastSignInIP, s.CurrentSignInIP, s.SignInCount = spec.LastSignInIP, spec.CurrentSignInIP, spec.SignInCount
	st.AddUser(u, e, now)
	for _, m := range spec.Memberships {
		st.AddMember(u, m.SourceType, m.SourceID, m.SourceName, m.AccessLevel)
	}
	return u
}
