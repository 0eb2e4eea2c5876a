package model

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// saWorld is a store with groups and a project for service accounts:
// platform (private) and its subgroup platform/infra, open (public),
// and platform/api (private), with their members.
type saWorld struct {
	st                               *Store
	admin                            *User
	owner, maintainer, dev, outsider *User
	platform, infra, open            *Group
	api                              *Project
}

func newSAWorld(t *testing.T) saWorld {
	st, admin, users := newTestStore(t, "owner", "maintainer", "dev", "outsider")
	w := saWorld{st: st, admin: admin, owner: users[0], maintainer: users[1], dev: users[2], outsider: users[3]}
	w.platform = st.AddGroup(GroupSpec{Path: "platform"}, now)
	w.infra = st.AddGroup(GroupSpec{Path: "infra", ParentID: w.platform.ID}, now)
	w.open = st.AddGroup(GroupSpec{Path: "open", Visibility: "public"}, now)
	w.api = st.AddProject(ProjectSpec{Path: "api", GroupID: w.platform.ID}, now)
	st.AddMember(w.owner, SourceNamespace, w.platform.ID, "platform", AccessOwner)
	st.AddMember(w.maintainer, SourceNamespace, w.platform.ID, "platform", AccessMaintainer)
	st.AddMember(w.dev, SourceProject, w.api.ID, "api", AccessDeveloper)
	st.AddMember(w.dev, SourceNamespace, w.open.ID, "open", AccessMaintainer)
	return w
}

func TestCreateInstanceServiceAccount(t *testing.T) {
	w := newSAWorld(t)
	u, err := w.st.CreateServiceAccount(w.admin, ServiceAccountScope{}, ServiceAccountSpec{}, "gitlab.example.com", now)
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^service_account_[0-9a-f]{32}$`), u.Username)
	assert.Equal(t, "Service account user", u.Name)
	assert.Equal(t, u.Username+"@noreply.gitlab.example.com", u.Email)
	assert.Empty(t, u.UnconfirmedEmail)
	assert.True(t, u.ServiceAccount)
	assert.True(t, u.Bot, "service accounts are bots")
	assert.True(t, u.External, "external by default")
	assert.Equal(t, StateActive, u.State)
	assert.Equal(t, w.admin.ID, u.CreatedBy)
	assert.Zero(t, u.ProvisionedByGroupID)
	assert.Zero(t, u.ProvisionedByProjectID)
	assert.Equal(t, DefaultProjectsLimit, u.ProjectsLimit)
	assert.Equal(t, now, u.CreatedAt)
	assert.Same(t, u, w.st.UserByName(u.Username))
	assert.Equal(t, u.Email, w.st.PrimaryEmail(u).Email)

	internal := false
	named, err := w.st.CreateServiceAccount(w.admin, ServiceAccountScope{},
		ServiceAccountSpec{Name: " Deployer ", Username: " deployer ", Email: " ops@example.com ", External: &internal}, "h", now)
	require.NoError(t, err)
	assert.Equal(t, "deployer", named.Username)
	assert.Equal(t, "Deployer", named.Name)
	assert.Equal(t, "deployer@noreply.h", named.Email, "the account keeps its generated email")
	assert.Equal(t, "ops@example.com", named.UnconfirmedEmail, "until it confirms the custom one")
	assert.Equal(t, "deployer@noreply.h", w.st.PrimaryEmail(named).Email)
	assert.False(t, named.External)
}

func TestCreateScopedServiceAccount(t *testing.T) {
	w := newSAWorld(t)
	g, err := w.st.CreateServiceAccount(w.admin, ServiceAccountScope{Group: w.platform}, ServiceAccountSpec{}, "h", now)
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^service_account_group_1_[0-9a-f]{32}$`), g.Username)
	assert.Equal(t, w.platform.ID, g.ProvisionedByGroupID)
	assert.True(t, g.External)

	p, err := w.st.CreateServiceAccount(w.maintainer, ServiceAccountScope{Project: w.api}, ServiceAccountSpec{}, "h", now)
	require.NoError(t, err, "a project's maintainers create its service accounts")
	assert.Regexp(t, regexp.MustCompile(`^service_account_project_1_[0-9a-f]{32}$`), p.Username)
	assert.Equal(t, w.api.ID, p.ProvisionedByProjectID)
	assert.Equal(t, w.maintainer.ID, p.CreatedBy)

	_, err = w.st.CreateServiceAccount(w.owner, ServiceAccountScope{Group: w.platform}, ServiceAccountSpec{}, "h", now)
	refusedFully(t, err, BadRequest, "User does not have permission to create a service account in this group.", false)
	o, err := w.st.CreateServiceAccount(w.owner, ServiceAccountScope{Group: w.platform, OwnersMayCreate: true}, ServiceAccountSpec{}, "h", now)
	require.NoError(t, err, "owners create where the instance lets them")
	assert.Equal(t, w.platform.ID, o.ProvisionedByGroupID)
}

func TestCreateServiceAccountTaken(t *testing.T) {
	w := newSAWorld(t)
	n := w.st.UserCount()
	_, err := w.st.CreateServiceAccount(w.admin, ServiceAccountScope{}, ServiceAccountSpec{Username: "OWNER"}, "h", now)
	refusedFully(t, err, BadRequest, "Username has already been taken", false)
	_, err = w.st.CreateServiceAccount(w.admin, ServiceAccountScope{}, ServiceAccountSpec{Email: "Dev@Example.com"}, "h", now)
	refusedFully(t, err, BadRequest, "Email has already been taken", false)
	_, err = w.st.CreateServiceAccount(w.admin, ServiceAccountScope{}, ServiceAccountSpec{Username: "dev", Email: "dev@example.com"}, "h", now)
	refusedFully(t, err, BadRequest, "Username has already been taken and Email has already been taken", false)
	assert.Equal(t, n, w.st.UserCount(), "a refused create stores nothing")
}

func TestServiceAccountScopes(t *testing.T) {
	w := newSAWorld(t)
	for _, c := range []struct {
		name    string
		actor   *User
		ref     string
		kind    Kind
		text    string
		wantGrp *Group
	}{
		{"missing", w.admin, "nope", NotFound, "Group", nil},
		{"private, not a member", w.outsider, "platform", NotFound, "Group", nil},
		{"a maintainer is not enough", w.maintainer, "platform", Forbidden, "", nil},
		{"public, not a member", w.outsider, "open", Forbidden, "", nil},
		{"owner", w.owner, "platform", 0, "", w.platform},
		{"owner of the parent, by path", w.owner, "Platform/Infra", 0, "", w.infra},
		{"admin, by ID", w.admin, "3", 0, "", w.open},
	} {
		sc, err := w.st.GroupServiceAccounts(c.actor, c.ref, true, now)
		if c.kind != 0 {
			refusedFully(t, err, c.kind, c.text, false)
			continue
		}
		require.NoError(t, err, c.name)
		assert.Same(t, c.wantGrp, sc.Group, c.name)
		assert.Nil(t, sc.Project, c.name)
		assert.True(t, sc.OwnersMayCreate, c.name)
	}

	_, err := w.st.ProjectServiceAccounts(w.outsider, "platform/api", now)
	refusedFully(t, err, NotFound, "Project", false)
	_, err = w.st.ProjectServiceAccounts(w.dev, "platform/api", now)
	refusedFully(t, err, Forbidden, "", false)
	for _, actor := range []*User{w.maintainer, w.owner, w.admin} {
		sc, err := w.st.ProjectServiceAccounts(actor, "1", now)
		require.NoError(t, err, actor.Username)
		assert.Same(t, w.api, sc.Project)
	}
}

func TestCanSee(t *testing.T) {
	w := newSAWorld(t)
	assert.True(t, w.st.CanReadGroup(nil, w.open, now), "anyone sees a public group")
	assert.False(t, w.st.CanReadGroup(nil, w.platform, now))
	assert.False(t, w.st.CanReadGroup(w.outsider, w.platform, now))
	assert.True(t, w.st.CanReadGroup(w.maintainer, w.infra, now), "through the parent")
	assert.True(t, w.st.CanReadGroup(w.admin, w.platform, now))
	assert.True(t, w.st.CanReadProject(w.dev, w.api, now))
	assert.True(t, w.st.CanReadProject(w.owner, w.api, now), "through the group")
	assert.False(t, w.st.CanReadProject(w.outsider, w.api, now))
	assert.False(t, w.st.CanReadProject(nil, w.api, now))
}

func TestScopedServiceAccount(t *testing.T) {
	w := newSAWorld(t)
	mk := func(sc ServiceAccountScope) *User {
		u, err := w.st.CreateServiceAccount(w.admin, sc, ServiceAccountSpec{}, "h", now)
		require.NoError(t, err)
		return u
	}
	inPlatform := mk(ServiceAccountScope{Group: w.platform})
	inAPI := mk(ServiceAccountScope{Project: w.api})
	platform, api := ServiceAccountScope{Group: w.platform}, ServiceAccountScope{Project: w.api}

	u, err := w.st.ScopedServiceAccount(platform, inPlatform.ID)
	require.NoError(t, err)
	assert.Same(t, inPlatform, u)
	_, err = w.st.ScopedServiceAccount(ServiceAccountScope{Group: w.infra}, inPlatform.ID)
	refusedFully(t, err, NotFound, "User", false)
	_, err = w.st.ScopedServiceAccount(platform, inAPI.ID)
	refusedFully(t, err, NotFound, "User", false)
	_, err = w.st.ScopedServiceAccount(platform, 999)
	refusedFully(t, err, NotFound, "User", false)

	// A plain user the group or project provisioned.
	w.dev.ProvisionedByGroupID, w.dev.ProvisionedByProjectID = w.platform.ID, w.api.ID
	_, err = w.st.ScopedServiceAccount(platform, w.dev.ID)
	refusedFully(t, err, BadRequest, "User is not of type Service Account", false)
	u, err = w.st.ScopedServiceAccount(api, w.dev.ID)
	require.NoError(t, err, "the project API does not check the type")
	assert.Same(t, w.dev, u)

	u, err = w.st.InstanceServiceAccount(inAPI.ID)
	require.NoError(t, err)
	assert.Same(t, inAPI, u)
	_, err = w.st.InstanceServiceAccount(w.dev.ID)
	refusedFully(t, err, BadRequest, "User is not a service account", true)
	_, err = w.st.InstanceServiceAccount(999)
	refusedFully(t, err, NotFound, "", false)
}

func TestUpdateServiceAccount(t *testing.T) {
	w := newSAWorld(t)
	u, err := w.st.CreateServiceAccount(w.admin, ServiceAccountScope{}, ServiceAccountSpec{Username: "bot"}, "h", now)
	require.NoError(t, err)
	later := now.Add(1000)

	refusedFully(t, w.st.UpdateServiceAccount(u, ServiceAccountSpec{Username: "Owner"}, later), BadRequest, "Username has already been taken", true)
	refusedFully(t, w.st.UpdateServiceAccount(u, ServiceAccountSpec{Email: "owner@example.com"}, later), BadRequest, "Email has already been taken", true)
	assert.Equal(t, "bot", u.Username)
	assert.Empty(t, u.UnconfirmedEmail)
	assert.Equal(t, now, u.UpdatedAt, "a refused update changes nothing")

	require.NoError(t, w.st.UpdateServiceAccount(u, ServiceAccountSpec{Username: "BOT", Name: " "}, later))
	assert.Equal(t, "bot", u.Username, "a change of case alone is no change")
	assert.Equal(t, "Service account user", u.Name, "a blank name is ignored")

	internal := false
	require.NoError(t, w.st.UpdateServiceAccount(u, ServiceAccountSpec{Username: " robot ", Name: "Robot", Email: "robot@example.com", External: &internal}, later))
	assert.Equal(t, "robot", u.Username)
	assert.Same(t, u, w.st.UserByName("ROBOT"), "the username index follows")
	assert.Nil(t, w.st.UserByName("bot"))
	assert.Equal(t, "Robot", u.Name)
	assert.Equal(t, "bot@noreply.h", u.Email)
	assert.Equal(t, "robot@example.com", u.UnconfirmedEmail, "a new email waits for confirmation")
	assert.False(t, u.External)
	assert.Equal(t, later, u.UpdatedAt)
}

func TestDeleteServiceAccount(t *testing.T) {
	w := newSAWorld(t)
	platform := ServiceAccountScope{Group: w.platform}
	u, err := w.st.CreateServiceAccount(w.admin, platform, ServiceAccountSpec{}, "h", now)
	require.NoError(t, err)
	tok, err := w.st.CreatePersonalToken(u, u, TokenSpec{Name: "t", Scopes: []string{"api"}}, now)
	require.NoError(t, err)

	assert.False(t, w.st.DeleteServiceAccount(w.owner, platform, u), "owners may not delete unless the instance lets them")
	assert.Same(t, u, w.st.User(u.ID))
	assert.True(t, w.st.DeleteServiceAccount(w.owner, ServiceAccountScope{Group: w.platform, OwnersMayCreate: true}, u))
	assert.Nil(t, w.st.User(u.ID))
	assert.Nil(t, w.st.Token(tok.ID), "its tokens go with it")

	p, err := w.st.CreateServiceAccount(w.admin, ServiceAccountScope{Project: w.api}, ServiceAccountSpec{}, "h", now)
	require.NoError(t, err)
	assert.True(t, w.st.DeleteServiceAccount(w.maintainer, ServiceAccountScope{Project: w.api}, p))
	assert.Nil(t, w.st.User(p.ID))
}

func TestServiceAccountsList(t *testing.T) {
	w := newSAWorld(t)
	mk := func(sc ServiceAccountScope, name string) int64 {
		u, err := w.st.CreateServiceAccount(w.admin, sc, ServiceAccountSpec{Username: name}, "h", now)
		require.NoError(t, err)
		return u.ID
	}
	b := mk(ServiceAccountScope{Group: w.platform}, "b")
	c := mk(ServiceAccountScope{}, "c")
	a := mk(ServiceAccountScope{Group: w.platform}, "a")
	ids := func(list []*User) []int64 {
		var out []int64
		for _, u := range list {
			out = append(out, u.ID)
		}
		return out
	}
	all := ServiceAccountScope{}
	assert.Equal(t, []int64{a, c, b}, ids(w.st.ServiceAccounts(all, "", "")), "by ID, descending, by default")
	assert.Equal(t, []int64{b, c, a}, ids(w.st.ServiceAccounts(all, "id", "asc")))
	assert.Equal(t, []int64{a, b, c}, ids(w.st.ServiceAccounts(all, "username", "asc")))
	assert.Equal(t, []int64{c, b, a}, ids(w.st.ServiceAccounts(all, "username", "desc")))
	assert.Equal(t, []int64{a, b}, ids(w.st.ServiceAccounts(ServiceAccountScope{Group: w.platform}, "", "")), "a group's own only")
	assert.Empty(t, w.st.ServiceAccounts(ServiceAccountScope{Project: w.api}, "", ""))
}

func TestServiceAccountTokens(t *testing.T) {
	w := newSAWorld(t)
	platform := ServiceAccountScope{Group: w.platform}
	api := ServiceAccountScope{Project: w.api}
	u, err := w.st.CreateServiceAccount(w.admin, platform, ServiceAccountSpec{}, "h", now)
	require.NoError(t, err)
	tok, err := w.st.CreatePersonalToken(u, u, TokenSpec{Name: "t", Scopes: []string{"api"}}, now)
	require.NoError(t, err)
	others, err := w.st.CreatePersonalToken(w.dev, w.dev, TokenSpec{Name: "d", Scopes: []string{"api"}}, now)
	require.NoError(t, err)

	_, err = w.st.RotateServiceAccountToken(platform, u, others.ID, nil, now)
	refusedFully(t, err, NotFound, "", false)
	_, err = w.st.RotateServiceAccountToken(api, u, others.ID, nil, now)
	refusedFully(t, err, NotFound, "Personal Access Token", false)
	refusedFully(t, w.st.RevokeServiceAccountToken(u, others.ID), NotFound, "Personal Access Token", false)
	assert.False(t, others.Revoked)

	n, err := w.st.RotateServiceAccountToken(platform, u, tok.ID, nil, now)
	require.NoError(t, err)
	assert.True(t, tok.Revoked)
	assert.Equal(t, tok.ID, n.PreviousID)
	assert.Equal(t, u.ID, n.UserID)
	require.NoError(t, w.st.RevokeServiceAccountToken(u, n.ID))
	assert.True(t, n.Revoked)
}

func TestTokenAssociations(t *testing.T) {
	w := newSAWorld(t)
	private := w.st.AddGroup(GroupSpec{Path: "secret"}, now)
	groupIDs := func(gs []*Group) []int64 {
		var out []int64
		for _, g := range gs {
			out = append(out, g.ID)
		}
		return out
	}
	projectIDs := func(ps []*Project) []int64 {
		var out []int64
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}

	gs, ps := w.st.TokenAssociations(w.outsider, nil, now)
	assert.Equal(t, []int64{w.open.ID}, groupIDs(gs), "what the caller can see")
	assert.Empty(t, ps)

	gs, ps = w.st.TokenAssociations(w.owner, nil, now)
	assert.Equal(t, []int64{w.platform.ID, w.infra.ID, w.open.ID}, groupIDs(gs))
	assert.Equal(t, []int64{w.api.ID}, projectIDs(ps))

	level := AccessMaintainer
	gs, ps = w.st.TokenAssociations(w.dev, &level, now)
	assert.Equal(t, []int64{w.open.ID}, groupIDs(gs), "at that level or higher only, even where public")
	assert.Empty(t, ps, "a developer's project is below maintainer")

	level = AccessOwner
	gs, ps = w.st.TokenAssociations(w.owner, &level, now)
	assert.Equal(t, []int64{w.platform.ID, w.infra.ID}, groupIDs(gs), "inherited by subgroups")
	assert.Equal(t, []int64{w.api.ID}, projectIDs(ps))

	gs, _ = w.st.TokenAssociations(w.admin, nil, now)
	assert.Equal(t, []int64{w.platform.ID, w.infra.ID, w.open.ID, private.ID}, groupIDs(gs), "administrators see every group")
}
