package model

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Service accounts, from lib/api/service_accounts.rb,
// lib/api/group_service_accounts.rb and lib/api/project_service_accounts.rb
// (CE since 18.11), Users::ServiceAccounts::CreateService and
// Namespaces::ServiceAccounts::*; see
// https://docs.gitlab.com/api/service_accounts/.

// ServiceAccountScope is where service accounts are managed: the
// instance (neither Group nor Project), a group or a project.
type ServiceAccountScope struct {
	Group   *Group
	Project *Project
	// OwnersMayCreate is the instance setting
	// allow_top_level_group_owners_to_create_service_accounts: whether a
	// group's Owners may create and delete its service accounts (off by
	// default on self-managed GitLab).
	OwnersMayCreate bool
}

// Provisioned reports whether u was created by the scope's group or
// project (every user, for the instance).
func (s ServiceAccountScope) Provisioned(u *User) bool {
	switch {
	case s.Group != nil:
		return u.ProvisionedByGroupID == s.Group.ID
	case s.Project != nil:
		return u.ProvisionedByProjectID == s.Project.ID
	}
	return true
}

// usernamePrefix is the prefix of generated usernames
// (Gitlab::Utils::UsernameAndEmailGenerator callers).
func (s ServiceAccountScope) usernamePrefix() string {
	switch {
	case s.Group != nil:
		return "service_account_group_" + strconv.FormatInt(s.Group.ID, 10)
	case s.Project != nil:
		return "service_account_project_" + strconv.FormatInt(s.Project.ID, 10)
	}
	return "service_account"
}

// what names the scope in messages.
func (s ServiceAccountScope) what() string {
	if s.Project != nil {
		return "project"
	}
	return "group"
}

// GroupServiceAccounts is the before filter of
// lib/api/group_service_accounts.rb for actor: the group ref (an ID or
// a full path) must exist and be visible (NotFound Group), and
// authorize! :admin_service_accounts: its Owners and administrators.
func (st *Store) GroupServiceAccounts(actor *User, ref string, ownersMayCreate bool, now time.Time) (ServiceAccountScope, error) {
	g := st.FindGroup(ref)
	return admit(ServiceAccountScope{Group: g, OwnersMayCreate: ownersMayCreate}, "Group",
		g != nil && st.CanReadGroup(actor, g, now), actor, func() bool { return st.GroupAccess(actor, g, now) >= AccessOwner })
}

// ProjectServiceAccounts is the before filter of
// lib/api/project_service_accounts.rb: as GroupServiceAccounts, with
// the project's Maintainers and Owners.
func (st *Store) ProjectServiceAccounts(actor *User, ref string, now time.Time) (ServiceAccountScope, error) {
	p := st.FindProject(ref)
	return admit(ServiceAccountScope{Project: p}, "Project",
		p != nil && st.CanReadProject(actor, p, now), actor, func() bool { return st.ProjectAccess(actor, p, now) >= AccessMaintainer })
}

// admit is a scope's before filter: NotFound what unless it was found
// and seen, then Forbidden unless actor is an administrator or has the
// role.
func admit(s ServiceAccountScope, what string, seen bool, actor *User, role func() bool) (ServiceAccountScope, error) {
	switch {
	case !seen:
		return ServiceAccountScope{}, notFound(what)
	case !actor.Admin && !role():
		return ServiceAccountScope{}, forbidden("")
	}
	return s, nil
}

// MayCreateOrDelete is create_service_account / delete_service_account
// in s for actor, who passed the scope's before filter: administrators;
// a group's Owners only where the instance lets them (OwnersMayCreate);
// a project's Maintainers and Owners.
func (s ServiceAccountScope) MayCreateOrDelete(actor *User) bool {
	return actor.Admin || s.Project != nil || s.OwnersMayCreate
}

// ScopedServiceAccount is validate_service_account_user: the account id
// must be provisioned by the scope's group or project (NotFound User),
// and, for groups, be a service account.
func (st *Store) ScopedServiceAccount(s ServiceAccountScope, id int64) (*User, error) {
	u := st.users[id]
	switch {
	case u == nil || !s.Provisioned(u):
		return nil, notFound("User")
	case s.Group != nil && !u.ServiceAccount:
		return nil, badRequest("User is not of type Service Account")
	}
	return u, nil
}

// InstanceServiceAccount is the account of PATCH /service_accounts/:id:
// NotFound when there is no such user (ActiveRecord::RecordNotFound),
// refused when the user is not a service account.
func (st *Store) InstanceServiceAccount(id int64) (*User, error) {
	u := st.users[id]
	switch {
	case u == nil:
		return nil, recordNotFound()
	case !u.ServiceAccount:
		return nil, refused(BadRequest, "User is not a service account")
	}
	return u, nil
}

// ServiceAccounts lists the service accounts of s with GitLab's
// order_by (id or username, default id) and sort (asc or desc, default
// desc).
func (st *Store) ServiceAccounts(s ServiceAccountScope, orderBy, sort string) []*User {
	var list []*User
	for _, u := range st.byID {
		if u.ServiceAccount && s.Provisioned(u) {
			list = append(list, u)
		}
	}
	desc := sort != "asc"
	slices.SortStableFunc(list, func(a, b *User) int {
		r := cmp.Compare(a.ID, b.ID)
		if orderBy == "username" {
			r = cmp.Compare(a.Username, b.Username)
		}
		if desc {
			return -r
		}
		return r
	})
	return list
}

// ServiceAccountSpec is what a create or update asks for; blank strings
// are not given.
type ServiceAccountSpec struct {
	Name, Username, Email string
	// External is the instance API's parameter: nil keeps the account
	// external (create) or unchanged (update).
	External *bool
}

// trimmed returns spec with its strings trimmed.
func (spec ServiceAccountSpec) trimmed() ServiceAccountSpec {
	spec.Name = strings.TrimSpace(spec.Name)
	spec.Username = strings.TrimSpace(spec.Username)
	spec.Email = strings.TrimSpace(spec.Email)
	return spec
}

// Column defaults of a new user: ApplicationSetting's
// default_projects_limit, and the users table's theme_id and
// color_scheme_id.
const (
	DefaultProjectsLimit = 100000
	DefaultThemeID       = 3
	DefaultColorSchemeID = 1
)

// CreateServiceAccount is Users::ServiceAccounts::CreateService (and the
// Namespaces:: ones for a group or project), by actor: the username and
// email must be free; the name defaults to "Service account user", the
// username to the scope's prefix with a random part, the email to
// <username>@noreply.<host>; the account is external unless the
// instance API says otherwise, and a custom email waits for
// confirmation while the account keeps the generated one.
func (st *Store) CreateServiceAccount(actor *User, s ServiceAccountScope, spec ServiceAccountSpec, host string, now time.Time) (*User, error) {
	if !s.MayCreateOrDelete(actor) {
		return nil, badRequest("User does not have permission to create a service account in this " + s.what() + ".")
	}
	spec = spec.trimmed()
	var errs []string
	if spec.Username != "" && st.UserByName(spec.Username) != nil {
		errs = append(errs, "Username has already been taken")
	}
	if spec.Email != "" {
		if taken, unconf := st.EmailUse(spec.Email, 0); taken || unconf {
			errs = append(errs, "Email has already been taken")
		}
	}
	if len(errs) > 0 {
		return nil, badRequest(ToSentence(errs))
	}
	un := spec.Username
	if un == "" {
		base := s.usernamePrefix() + "_" + RandomHex(16)
		un = base
		for n := 1; st.UserByName(un) != nil; n++ {
			un = base + strconv.Itoa(n)
		}
	}
	generated := un + "@noreply." + host
	u := &User{State: StateActive, UserData: UserData{Username: un, Name: cmp.Or(spec.Name, "Service account user"),
		Email: generated, ServiceAccount: true, Bot: true, External: spec.External == nil || *spec.External,
		FollowingEnabled: true, ProjectsLimit: DefaultProjectsLimit, CanCreateGroup: true,
		ThemeID: DefaultThemeID, ColorSchemeID: DefaultColorSchemeID,
		CreatedBy: actor.ID, CreatedAt: now, UpdatedAt: now, ConfirmedAt: PtrTime(now)}}
	if s.Group != nil {
		u.ProvisionedByGroupID = s.Group.ID
	}
	if s.Project != nil {
		u.ProvisionedByProjectID = s.Project.ID
	}
	if spec.Email != "" {
		u.UnconfirmedEmail = spec.Email
	}
	return st.AddUser(u, new(Email), now), nil
}

// UpdateServiceAccount applies spec to the service account u: a new
// username must be free (Store.Rename keeps the index), a new email
// free too and waits for confirmation, a blank name is ignored.
func (st *Store) UpdateServiceAccount(u *User, spec ServiceAccountSpec, now time.Time) error {
	spec = spec.trimmed()
	if un := spec.Username; un != "" && !strings.EqualFold(un, u.Username) {
		if st.UserByName(un) != nil {
			return refused(BadRequest, "Username has already been taken")
		}
		st.Rename(u, un)
	}
	if em := spec.Email; em != "" && !strings.EqualFold(em, u.Email) {
		if taken, unconf := st.EmailUse(em, u.ID); taken || unconf {
			return refused(BadRequest, "Email has already been taken")
		}
		u.UnconfirmedEmail = em
	}
	if spec.Name != "" {
		u.Name = spec.Name
	}
	if spec.External != nil {
		u.External = *spec.External
	}
	u.UpdatedAt = now
	return nil
}

// DeleteServiceAccount is Namespaces::ServiceAccounts::DeleteService by
// actor: it deletes u (GitLab in the background; the fake at once) when
// actor may delete the scope's accounts, and reports whether it did
// (destroy_conditionally! ignores the result: 204 either way).
func (st *Store) DeleteServiceAccount(actor *User, s ServiceAccountScope, u *User) bool {
	if !s.MayCreateOrDelete(actor) {
		return false
	}
	st.DeleteUser(u.ID)
	return true
}

// RevokeServiceAccountToken revokes the personal access token id of
// the scope's account u (NotFound Personal Access Token).
func (st *Store) RevokeServiceAccountToken(u *User, id int64) error {
	t, ok := st.TokenOf(u.ID, id)
	if !ok {
		return notFound("Personal Access Token")
	}
	t.Revoke()
	return nil
}

// RotateServiceAccountToken rotates the personal access token id of the
// scope's account u (RotateToken). A missing token is NotFound
// Personal Access Token for a project; lib/api/group_service_accounts.rb
// says a bare not_found!.
func (st *Store) RotateServiceAccountToken(s ServiceAccountScope, u *User, id int64, expires *time.Time, now time.Time) (*Token, error) {
	t, ok := st.TokenOf(u.ID, id)
	switch {
	case !ok && s.Group != nil:
		return nil, notFound("")
	case !ok:
		return nil, notFound("Personal Access Token")
	}
	return st.RotateToken(t, expires, now)
}

// TokenAssociations are the groups and projects of GET
// /personal_access_tokens/self/associations for actor: those actor can
// see (GroupsFinder and ProjectsFinder with default params), or with
// minLevel those where actor's role is at that level or higher
// (directly or inherited), by ascending ID.
func (st *Store) TokenAssociations(actor *User, minLevel *int, now time.Time) ([]*Group, []*Project) {
	var groups []*Group
	for _, g := range st.Groups() {
		if (minLevel == nil && st.CanReadGroup(actor, g, now)) || (minLevel != nil && st.GroupAccess(actor, g, now) >= *minLevel) {
			groups = append(groups, g)
		}
	}
	var projects []*Project
	for _, p := range st.Projects() {
		if (minLevel == nil && st.CanReadProject(actor, p, now)) || (minLevel != nil && st.ProjectAccess(actor, p, now) >= *minLevel) {
			projects = append(projects, p)
		}
	}
	return groups, projects
}
