package model

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The Groups API's rules: lib/api/groups.rb, app/services/groups/*.rb,
// app/models/group.rb, app/models/namespace.rb and
// app/policies/group_policy.rb.

// GroupAttrs are the attributes a create or an update of a group sends;
// nil is not sent.
type GroupAttrs struct {
	Name, Path, Description, Visibility *string
	// ParentID makes a new group a subgroup (create only).
	ParentID int64
}

// Visibility levels, as the API names them (Gitlab::VisibilityLevel).
var visibilityRank = map[string]int{"private": 0, "internal": 10, "public": 20}

// ValidVisibility reports whether v is one of GitLab's visibility names.
func ValidVisibility(v string) bool { _, ok := visibilityRank[v]; return ok }

// groupNameRe is Gitlab::Regex.group_name_regex (lib/gitlab/regex.rb),
// emoji included in its \u00A9-\u1f9ff range.
var groupNameRe = regexp.MustCompile(`^[\p{L}\p{N}\x{00A9}-\x{1f9ff}_][\p{L}\p{N}\p{Pd}\x{00A9}-\x{1f9ff}_(). ]*$`)

const groupNameMessage = "can contain only letters, digits, emoji, '_', '.', dash, space, parenthesis. It must start with letter, digit, emoji or '_'."

// reservedTopLevel are some of Gitlab::PathRegex::TOP_LEVEL_ROUTES, which
// a top-level group's path may not be (the fake keeps the common ones).
var reservedTopLevel = []string{"-", ".well-known", "404.html", "admin", "api", "assets", "dashboard",
	"explore", "groups", "help", "import", "jwt", "login", "oauth", "profile", "projects", "public",
	"robots.txt", "s", "search", "sitemap", "snippets", "uploads", "users", "v2"}

// CanReadGroup is read_group (app/policies/group_policy.rb): a public
// group for anyone, an internal one for any signed-in user but an
// external one (logged_in_viewable), a private one for administrators,
// those with a role in it (GroupAccess), and those with a role in a
// project of it or of its subgroups (has_projects: GroupProjectsFinder
// with include_subgroups). Reads only.
func (st *Store) CanReadGroup(u *User, g *Group, now time.Time) bool {
	switch {
	case g.Visibility == "public":
		return true
	case u == nil:
		return false
	case u.Admin || g.Visibility == "internal" && !u.External:
		return true
	}
	return st.GroupAccess(u, g, now) > 0 || st.memberOfProjectUnder(u, g, now)
}

// memberOfProjectUnder reports whether u has an unexpired, active
// membership of a project in g or in one of g's subgroups.
func (st *Store) memberOfProjectUnder(u *User, g *Group, now time.Time) bool {
	for _, m := range st.mem.byUser[u.ID] {
		if m.Source.Type != SourceProject || !m.counts(now) {
			continue
		}
		if p := st.projects[m.Source.ID]; p != nil && p.GroupID != 0 {
			if in := st.groups[p.GroupID]; in == g || st.isDescendant(in, g) {
				return true
			}
		}
	}
	return false
}

// groupRole is u's role in g, Owner for administrators.
func (st *Store) groupRole(u *User, g *Group, now time.Time) int {
	if u.Admin {
		return AccessOwner
	}
	return st.GroupAccess(u, g, now)
}

// CreateGroup is POST /groups (Groups::CreateService): a top-level group
// needs the create_group ability (administrators, or users with
// can_create_group); a subgroup needs Maintainer in its parent (the
// default subgroup_creation_level, MAINTAINER_SUBGROUP_ACCESS). The
// creator becomes the group's Owner. A refusal of its validations is
// Invalid with the messages by attribute.
func (st *Store) CreateGroup(actor *User, a GroupAttrs, now time.Time) (*Group, error) {
	var parent *Group
	if a.ParentID != 0 {
		parent = st.groups[a.ParentID]
		if parent == nil || !st.CanReadGroup(actor, parent, now) {
			return nil, notFound("Group")
		}
		if st.groupRole(actor, parent, now) < AccessMaintainer {
			return nil, forbidden("")
		}
	} else if !actor.Admin && !actor.CanCreateGroup {
		return nil, forbidden("")
	}
	spec := GroupSpec{ParentID: a.ParentID, Name: deref(a.Name), Path: deref(a.Path),
		Description: deref(a.Description), Visibility: "private"}
	if a.Visibility != nil {
		spec.Visibility = *a.Visibility
	}
	if err := st.validateGroup(nil, parent, spec); err != nil {
		return nil, err
	}
	g := st.AddGroup(spec, now)
	st.AddMember(actor, SourceNamespace, g.ID, g.Name, AccessOwner)
	return g, nil
}

// validateGroup is app/models/group.rb's and namespace.rb's validations
// of the group g will be (g is nil on create): name and path present and
// well-formed, the path unique among its siblings (and, at the top
// level, among usernames, which share the routes), and a visibility no
// higher than the parent's and no lower than its subgroups' and
// projects'.
func (st *Store) validateGroup(g, parent *Group, spec GroupSpec) error {
	var fe Errors
	switch {
	case blank(spec.Name):
		fe.Add("name", "can't be blank")
	case !groupNameRe.MatchString(spec.Name):
		fe.Add("name", groupNameMessage)
	case tooLong(spec.Name, 255):
		fe.Add("name", "is too long (maximum is 255 characters)")
	}
	p := spec.Path
	switch {
	case blank(p):
		fe.Add("path", "can't be blank")
	case !usernameRe.MatchString(p) || strings.HasSuffix(p, ".git") || strings.HasSuffix(p, ".atom"):
		fe.Add("path", namespaceFormatMessage)
	case tooLong(p, 255):
		fe.Add("path", "is too long (maximum is 255 characters)")
	case parent == nil && slices.Contains(reservedTopLevel, strings.ToLower(p)):
		fe.Add("path", "is a reserved name")
	case st.pathTaken(g, spec.ParentID, p):
		fe.Add("path", "has already been taken")
	}
	if !ValidVisibility(spec.Visibility) {
		fe.Add("visibility_level", "is not included in the list")
	} else {
		level := visibilityRank[spec.Visibility]
		if parent != nil && level > visibilityRank[parent.Visibility] {
			fe.Add("visibility_level", spec.Visibility+" is not allowed since the parent group has a "+parent.Visibility+" visibility.")
		}
		if g != nil && st.moreVisibleChild(g, level) == "group" {
			fe.Add("visibility_level", spec.Visibility+" is not allowed since there are sub-groups with higher visibility.")
		}
		if g != nil && st.moreVisibleChild(g, level) == "project" {
			fe.Add("visibility_level", spec.Visibility+" is not allowed since this group contains projects with higher visibility.")
		}
	}
	return fe.Err()
}

// pathTaken reports whether another group than g under parentID has
// path p, or, at the top level, a user has it as username (the routes
// table holds both: app/models/route.rb).
func (st *Store) pathTaken(g *Group, parentID int64, p string) bool {
	for _, o := range st.groups {
		if o != g && o.ParentID == parentID && strings.EqualFold(o.Path, p) {
			return true
		}
	}
	return parentID == 0 && st.UserByName(p) != nil
}

// moreVisibleChild says whether g has a subgroup ("group") or a project
// ("project") more visible than level, "" for none.
func (st *Store) moreVisibleChild(g *Group, level int) string {
	for _, o := range st.groups {
		if o.ParentID == g.ID && visibilityRank[o.Visibility] > level {
			return "group"
		}
	}
	for _, p := range st.projects {
		if p.GroupID == g.ID && visibilityRank[p.Visibility] > level {
			return "project"
		}
	}
	return ""
}

// UpdateGroup is PUT /groups/:id (Groups::UpdateService): the caller
// needs admin_group (Owner); a new path moves the full paths of the
// group's subgroups and projects.
func (st *Store) UpdateGroup(actor *User, g *Group, a GroupAttrs, now time.Time) error {
	if st.groupRole(actor, g, now) < AccessOwner {
		return forbidden("")
	}
	spec := GroupSpec{ParentID: g.ParentID, Name: g.Name, Path: g.Path,
		Description: g.Description, Visibility: g.Visibility}
	if a.Name != nil {
		spec.Name = *a.Name
	}
	if a.Path != nil {
		spec.Path = *a.Path
	}
	if a.Description != nil {
		spec.Description = *a.Description
	}
	if a.Visibility != nil {
		spec.Visibility = *a.Visibility
	}
	if err := st.validateGroup(g, st.groups[g.ParentID], spec); err != nil {
		return err
	}
	g.Name, g.Description, g.Visibility = spec.Name, spec.Description, spec.Visibility
	if spec.Path != g.Path {
		g.Path = spec.Path
		st.movePaths(g)
	}
	return nil
}

// movePaths recomputes the full paths of g and everything under it.
func (st *Store) movePaths(g *Group) {
	g.FullPath = g.Path
	if p := st.groups[g.ParentID]; p != nil {
		g.FullPath = p.FullPath + "/" + g.Path
	}
	for _, p := range st.projects {
		if p.GroupID == g.ID {
			p.PathWithNamespace = g.FullPath + "/" + p.Path
		}
	}
	for _, c := range st.groups {
		if c.ParentID == g.ID {
			st.movePaths(c)
		}
	}
}

// Deletion refusals of lib/api/groups.rb and lib/api/projects.rb.
const (
	wrongFullPath = "`full_path` is incorrect. You must enter the complete path for the "
	notMarkedYet  = " must be marked for deletion first."
	alreadyMarked = " has been already marked for deletion"
)

// DeleteGroup is DELETE /groups/:id: the caller needs remove_group
// (Owner). As on GitLab 18 of every tier, the group is first marked for
// deletion (Groups::MarkForDeletionService), to be removed after the
// instance's retention period, which the fake never reaches; marking
// renames it, its name and path suffixed with "-deletion_scheduled-<id>"
// (rename_group_for_deletion!), which moves the full paths below it. A
// second DELETE with permanently (permanently_remove) and the group's
// full path, the renamed one, removes it at once, with its subgroups,
// projects and the shares that name it.
func (st *Store) DeleteGroup(actor *User, g *Group, permanently bool, fullPath string, now time.Time) error {
	if st.groupRole(actor, g, now) < AccessOwner {
		return forbidden("")
	}
	switch {
	case permanently && fullPath != g.FullPath:
		return refused(BadRequest, wrongFullPath+"group.")
	case permanently && g.MarkedForDeletionOn == nil:
		return refused(BadRequest, "Group"+notMarkedYet)
	case permanently:
		st.removeGroup(g)
	case g.MarkedForDeletionOn != nil:
		return refused(BadRequest, "Group"+alreadyMarked)
	default:
		g.MarkedForDeletionOn = PtrTime(DayOf(now))
		g.Name, g.Path = deletionScheduled(g.Name, g.ID), deletionScheduled(g.Path, g.ID)
		st.movePaths(g)
	}
	return nil
}

// deletionScheduled is the name or path GitLab gives a group or project
// it marks for deletion (suffixed_identifier in
// app/services/groups/mark_for_deletion_service.rb and
// app/services/projects/mark_for_deletion_service.rb).
func deletionScheduled(s string, id int64) string {
	return s + "-deletion_scheduled-" + strconv.FormatInt(id, 10)
}

// removeGroup removes g, its subgroups and projects, and the shares
// with it, and the memberships, invitations and access requests of all
// of them.
func (st *Store) removeGroup(g *Group) {
	for _, c := range st.Groups() {
		if c.ParentID == g.ID {
			st.removeGroup(c)
		}
	}
	for id, p := range st.projects {
		if p.GroupID == g.ID {
			st.RemoveSourceMembers(ProjectSource(id))
			st.projectGone(id)
			delete(st.projects, id)
		}
	}
	st.RemoveSourceMembers(GroupSource(g.ID))
	st.forgetEnterpriseGroup(g)
	delete(st.groups, g.ID)
	unshare := func(s Share) bool { return s.GroupID == g.ID }
	for _, o := range st.groups {
		o.SharedWith = slices.DeleteFunc(o.SharedWith, unshare)
	}
	for _, p := range st.projects {
		p.SharedWith = slices.DeleteFunc(p.SharedWith, unshare)
	}
}

// GroupFilter is what GET /groups and the subgroup lists filter by.
type GroupFilter struct {
	// AllAvailable lists every group the caller may read, not only
	// those they have a role in (all_available; default for
	// administrators).
	AllAvailable *bool
	Search       string
	// Visibility keeps the groups of that visibility ("" for any).
	Visibility string
	// Owned keeps the groups where the caller is a direct Owner
	// (User#owned_groups in app/models/user.rb: group_members with
	// access_level OWNER), not those where the role is inherited.
	Owned bool
	// MinAccessLevel keeps groups where the caller has at least it.
	MinAccessLevel int
	TopLevelOnly   bool
	SkipGroups     []int64
	// OrderBy is name (default), path or id; Desc sorts descending.
	OrderBy string
	Desc    bool
}

// ListGroups is GroupsFinder (app/finders/groups_finder.rb) for GET
// /groups, and for GET /groups/:id/subgroups and descendant_groups when
// under is set (its children, or all its descendants when descendants):
// anonymous callers see public groups; a signed-in one the groups they
// have a role in, and with all_available every group they may read
// (administrators: every group, their default). Owned and
// min_access_level keep groups where the caller has that role. Ordered
// by OrderBy, then ID ascending. Reads only.
func (st *Store) ListGroups(actor *User, under *Group, descendants bool, f GroupFilter, now time.Time) []*Group {
	all := actor == nil || (f.AllAvailable == nil && actor.Admin) || (f.AllAvailable != nil && *f.AllAvailable)
	if under != nil && f.AllAvailable == nil {
		all = true // the children of a group: every one the caller may read
	}
	var out []*Group
	for _, g := range st.Groups() {
		if under != nil && !(g.ParentID == under.ID || descendants && st.isDescendant(g, under)) {
			continue
		}
		if f.TopLevelOnly && g.ParentID != 0 || slices.Contains(f.SkipGroups, g.ID) {
			continue
		}
		if f.Search != "" && !containsFold(g.Name, f.Search) && !containsFold(g.Path, f.Search) {
			continue
		}
		if f.Visibility != "" && g.Visibility != f.Visibility || f.Owned && !st.directOwner(actor, g, now) {
			continue
		}
		role := 0
		if actor != nil {
			role = st.GroupAccess(actor, g, now)
		}
		switch {
		case f.MinAccessLevel > 0 && role < f.MinAccessLevel:
			continue
		case !st.CanReadGroup(actor, g, now), !all && role == 0:
			continue
		}
		out = append(out, g)
	}
	key := func(g *Group) string { return strings.ToLower(g.Name) }
	switch f.OrderBy {
	case "path":
		key = func(g *Group) string { return strings.ToLower(g.Path) }
	case "id":
		key = func(*Group) string { return "" }
	}
	slices.SortStableFunc(out, func(a, b *Group) int {
		r := strings.Compare(key(a), key(b))
		if r == 0 && f.OrderBy == "id" {
			r = cmp.Compare(a.ID, b.ID)
		}
		if f.Desc {
			r = -r
		}
		return cmp.Or(r, cmp.Compare(a.ID, b.ID))
	})
	return out
}

// directOwner reports whether u is a direct Owner of g.
func (st *Store) directOwner(u *User, g *Group, now time.Time) bool {
	return u != nil && st.level(u.ID, GroupSource(g.ID), now) == AccessOwner
}

// isDescendant reports whether g is below top.
func (st *Store) isDescendant(g, top *Group) bool {
	for seen := 0; g != nil && seen < 100; seen++ {
		if g.ParentID == top.ID {
			return true
		}
		g = st.groups[g.ParentID]
	}
	return false
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// ShareGroup is POST /groups/:id/share (Groups::GroupLinks::CreateService):
// the caller must be an Owner of g (admin_group_member) and able to read
// with; otherwise, and for a missing group, the service's 404 "Not
// Found". A group shared with the same group twice is a conflict of
// GroupGroupLink's uniqueness validation; so is a group shared with
// itself.
func (st *Store) ShareGroup(actor *User, g, with *Group, level int, expires *time.Time, now time.Time) (Share, error) {
	if with == nil || st.groupRole(actor, g, now) < AccessOwner || !st.CanReadGroup(actor, with, now) {
		return Share{}, refused(NotFound, "Not Found")
	}
	if with.ID == g.ID {
		return Share{}, refused(Conflict, "Shared with group cannot be the same as the shared group")
	}
	if sharedWith(g.SharedWith, with.ID) {
		return Share{}, refused(Conflict, "Shared group The group has already been shared with this group")
	}
	return st.addShare(&g.SharedWith, with, level, expires), nil
}

// UnshareGroup is DELETE /groups/:id/share/:group_id: the link (404
// "Group Link"), then Groups::GroupLinks::DestroyService, which removes
// it for an Owner of g (admin_group_member) and does nothing for anyone
// else; lib/api/groups.rb answers 204 either way, so neither is an error
// (app/services/groups/group_links/destroy_service.rb).
func (st *Store) UnshareGroup(actor *User, g *Group, withID int64, now time.Time) error {
	if !sharedWith(g.SharedWith, withID) {
		return notFound("Group Link")
	}
	if st.groupRole(actor, g, now) < AccessOwner {
		return nil
	}
	return unshare(&g.SharedWith, withID)
}

// unshare removes the share with group withID from shares, or refuses
// with 404 "Group Link" when there is none.
// sharedWith reports whether shares hold a share with the group withID.
func sharedWith(shares []Share, withID int64) bool {
	return slices.ContainsFunc(shares, func(s Share) bool { return s.GroupID == withID })
}

// addShare stores a new share with the group with in *shares (a group's
// or a project's SharedWith), numbered like GitLab's group links.
func (st *Store) addShare(shares *[]Share, with *Group, level int, expires *time.Time) Share {
	st.nextLink++
	s := Share{ID: st.nextLink, GroupID: with.ID, Level: level, ExpiresAt: expires}
	*shares = append(*shares, s)
	return s
}

func unshare(shares *[]Share, withID int64) error {
	i := slices.IndexFunc(*shares, func(s Share) bool { return s.GroupID == withID })
	if i < 0 {
		return notFound("Group Link")
	}
	*shares = slices.Delete(*shares, i, i+1)
	return nil
}
