package model

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The Projects API's rules: lib/api/projects.rb,
// app/services/projects/*.rb, app/models/project.rb and
// app/policies/project_policy.rb.

// ProjectAttrs are the attributes a create or an update of a project
// sends; nil is not sent.
type ProjectAttrs struct {
	Name, Path, Description, Visibility *string
}

// projectPathRe is Gitlab::PathRegex.project_path_format_regex without
// its lookbehind (no .git or .atom at the end); projectNameRe is
// Gitlab::Regex.project_name_regex (lib/gitlab/regex.rb).
var (
	projectPathRe = regexp.MustCompile(`^[a-zA-Z0-9_.][a-zA-Z0-9_.-]*$`)
	projectNameRe = regexp.MustCompile(`^[\p{L}\p{N}\x{00A9}-\x{1f9ff}_][\p{L}\p{N}\p{Pd}+\x{00A9}-\x{1f9ff}_. ]*$`)
)

const (
	projectPathMessage = "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-', end in '.git' or end in '.atom'"
	projectNameMessage = "can contain only letters, digits, emoji, '_', '.', '+', dashes, or spaces. It must start with a letter, digit, emoji, or '_'."
)

// CanReadProject is read_project (app/policies/project_policy.rb): a
// public project for anyone, an internal one for any signed-in user, a
// private one for administrators and those with a role in it
// (ProjectAccess). Reads only.
func (st *Store) CanReadProject(u *User, p *Project, now time.Time) bool {
	switch {
	case p.Visibility == "public":
		return true
	case u == nil:
		return false
	case u.Admin || p.Visibility == "internal":
		return true
	}
	return st.ProjectAccess(u, p, now) > 0
}

// projectRole is u's role in p, Owner for administrators and for the
// owner of its personal namespace.
func (st *Store) projectRole(u *User, p *Project, now time.Time) int {
	if u.Admin || (p.GroupID == 0 && p.OwnerID == u.ID) {
		return AccessOwner
	}
	return st.ProjectAccess(u, p, now)
}

// FindNamespace resolves a namespace_id: a group's ID or full path, or a
// user's namespace ID or username (the fake numbers groups and user
// namespaces apart, so a number names a group first). Reads only.
func (st *Store) FindNamespace(ref string) (*Group, *User) {
	if g := st.FindGroup(ref); g != nil {
		return g, nil
	}
	if AllDigits(ref) {
		id, _ := strconv.ParseInt(ref, 10, 64)
		if u := st.users[id]; u != nil && u.NamespaceID == id {
			return nil, u
		}
		return nil, nil
	}
	return nil, st.UserByName(ref)
}

// CreateProject is POST /projects and POST /projects/user/:user_id
// (Projects::CreateService) in group g, or in owner's personal namespace
// when g is nil. In a group the caller needs Developer, the default
// project_creation_level (DEVELOPER_MAINTAINER_PROJECT_ACCESS); in a
// personal namespace the caller must be its owner or an administrator,
// and the owner must be under their projects_limit. Otherwise the
// namespace "is not valid". The path defaults to the name made a path,
// the name to the path. The owner of a personal namespace becomes the
// project's Owner.
func (st *Store) CreateProject(actor, owner *User, g *Group, a ProjectAttrs, now time.Time) (*Project, error) {
	var fe Errors
	switch {
	case g != nil && (!st.CanReadGroup(actor, g, now) || st.groupRole(actor, g, now) < AccessDeveloper):
		fe.Add("namespace", "is not valid")
		return nil, fe.Err()
	case g == nil && (owner == nil || owner.ID != actor.ID && !actor.Admin):
		fe.Add("namespace", "is not valid")
		return nil, fe.Err()
	case g == nil && st.personalProjects(owner) >= owner.ProjectsLimit:
		text := "Your project limit is " + strconv.Itoa(owner.ProjectsLimit) + " projects! Please contact your administrator to increase it"
		if owner.ProjectsLimit == 0 {
			text = "Personal project creation is not allowed. Please contact your administrator with questions"
		}
		return nil, &Error{Kind: Forbidden, Text: text, Service: true, Fields: map[string][]string{"limit_reached": {text}}}
	}
	spec := ProjectSpec{Name: deref(a.Name), Path: deref(a.Path), Description: deref(a.Description), Visibility: "private"}
	if g != nil {
		spec.GroupID = g.ID
	} else {
		spec.OwnerID = owner.ID
	}
	if spec.Path == "" {
		spec.Path = pathOf(spec.Name)
	}
	if spec.Name == "" {
		spec.Name = spec.Path
	}
	if a.Visibility != nil {
		spec.Visibility = *a.Visibility
	}
	if err := st.validateProject(nil, g, spec); err != nil {
		return nil, err
	}
	p := st.AddProject(spec, now)
	if g == nil {
		st.AddMember(owner, SourceProject, p.ID, p.Name, AccessOwner)
	}
	st.projectEvent(actor.ID, p, EventCreated, now) // Projects::CreateService

	return p, nil
}

// pathOf is the path GitLab makes of a name (String#parameterize):
// lower case, runs of other characters than letters, digits, '_' and '-'
// turned into one '-', no '-' at either end.
func pathOf(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// personalProjects counts the projects in u's personal namespace.
func (st *Store) personalProjects(u *User) int {
	n := 0
	for _, p := range st.projects {
		if p.GroupID == 0 && p.OwnerID == u.ID {
			n++
		}
	}
	return n
}

// validateProject is app/models/project.rb's validations of the project
// p will be (nil on create) in group g (nil for a personal namespace):
// name and path present, well-formed and unique in the namespace, and a
// visibility no higher than the group's.
func (st *Store) validateProject(p *Project, g *Group, spec ProjectSpec) error {
	var fe Errors
	switch {
	case blank(spec.Name):
		fe.Add("name", "can't be blank")
	case !projectNameRe.MatchString(spec.Name):
		fe.Add("name", projectNameMessage)
	case tooLong(spec.Name, 255):
		fe.Add("name", "is too long (maximum is 255 characters)")
	case st.projectTaken(p, spec, func(o *Project) string { return o.Name }, spec.Name):
		fe.Add("name", "has already been taken")
	}
	switch path := spec.Path; {
	case blank(path):
		fe.Add("path", "can't be blank")
	case !projectPathRe.MatchString(path) || strings.HasSuffix(path, ".git") || strings.HasSuffix(path, ".atom"):
		fe.Add("path", projectPathMessage)
	case tooLong(path, 255):
		fe.Add("path", "is too long (maximum is 255 characters)")
	case st.projectTaken(p, spec, func(o *Project) string { return o.Path }, path):
		fe.Add("path", "has already been taken")
	}
	switch {
	case !ValidVisibility(spec.Visibility):
		fe.Add("visibility_level", "is not included in the list")
	case g != nil && visibilityRank[spec.Visibility] > visibilityRank[g.Visibility]:
		fe.Add("visibility_level", spec.Visibility+" is not allowed in a "+g.Visibility+" group.")
	}
	return fe.Err()
}

// projectTaken reports whether another project than p in spec's
// namespace has field equal to v (case-insensitively).
func (st *Store) projectTaken(p *Project, spec ProjectSpec, field func(*Project) string, v string) bool {
	for _, o := range st.projects {
		if o != p && o.GroupID == spec.GroupID && (spec.GroupID != 0 || o.OwnerID == spec.OwnerID) && strings.EqualFold(field(o), v) {
			return true
		}
	}
	return false
}

// UpdateProject is PUT /projects/:id (Projects::UpdateService): the
// caller needs admin_project (Maintainer), and Owner for a new name
// (rename_project) or visibility (change_visibility_level).
func (st *Store) UpdateProject(actor *User, p *Project, a ProjectAttrs, now time.Time) error {
	role := st.projectRole(actor, p, now)
	if role < AccessMaintainer || role < AccessOwner && (a.Name != nil || a.Visibility != nil) {
		return forbidden("")
	}
	spec := ProjectSpec{GroupID: p.GroupID, OwnerID: p.OwnerID, Name: p.Name, Path: p.Path,
		Description: p.Description, Visibility: p.Visibility}
	for _, f := range []struct{ from, to *string }{{a.Name, &spec.Name}, {a.Path, &spec.Path},
		{a.Description, &spec.Description}, {a.Visibility, &spec.Visibility}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if err := st.validateProject(p, st.groups[p.GroupID], spec); err != nil {
		return err
	}
	p.Name, p.Description, p.Visibility = spec.Name, spec.Description, spec.Visibility
	p.PathWithNamespace = strings.TrimSuffix(p.PathWithNamespace, p.Path) + spec.Path
	p.Path = spec.Path
	return nil
}

// DeleteProject is DELETE /projects/:id: the caller needs remove_project
// (Owner). As on GitLab 18 of every tier, the project is first marked
// for deletion (Projects::MarkForDeletionService), to be removed after
// the retention period, which the fake never reaches; marking archives
// it (the API shows archived: true while MarkedForDeletionOn is set) and
// renames it, its name and path suffixed with
// "-deletion_scheduled-<id>" (project_update_service_params). A second
// DELETE with permanently (permanently_remove) and its full path, the
// renamed one, removes it.
func (st *Store) DeleteProject(actor *User, p *Project, permanently bool, fullPath string, now time.Time) error {
	if st.projectRole(actor, p, now) < AccessOwner {
		return forbidden("")
	}
	switch {
	case permanently && fullPath != p.PathWithNamespace:
		return refused(BadRequest, wrongFullPath+"project.")
	case permanently && p.MarkedForDeletionOn == nil:
		return refused(BadRequest, "Project"+notMarkedYet)
	case permanently:
		st.RemoveSourceMembers(ProjectSource(p.ID))
		st.projectGone(p.ID)
		delete(st.projects, p.ID)
	case p.MarkedForDeletionOn != nil:
		return refused(BadRequest, "Project"+alreadyMarked)
	default:
		p.MarkedForDeletionOn = PtrTime(DayOf(now))
		p.Name = deletionScheduled(p.Name, p.ID)
		path := deletionScheduled(p.Path, p.ID)
		p.PathWithNamespace = strings.TrimSuffix(p.PathWithNamespace, p.Path) + path
		p.Path = path
	}
	return nil
}

// ProjectFilter is what the project lists filter by.
type ProjectFilter struct {
	// Group lists the group's projects (and its subgroups' with
	// IncludeSubgroups); Owner the projects of a personal namespace.
	Group            *Group
	IncludeSubgroups bool
	Owner            *User
	// WithShared adds, to a group's projects, those shared with the
	// group (GET /groups/:id/projects with_shared, its default).
	WithShared bool
	// Owned keeps the projects of the caller's personal namespace;
	// Membership those the caller has a role in.
	Owned, Membership bool
	MinAccessLevel    int
	Search            string
	Visibility        string
	// OrderBy is id, name, path or created_at (default); Desc sorts
	// descending (the default of every order).
	OrderBy string
	Desc    bool
}

// ListProjects is ProjectsFinder (app/finders/projects_finder.rb) for
// GET /projects, and GroupProjectsFinder for GET /groups/:id/projects
// and GET /users/:id/projects: the projects the caller may read, ordered
// by OrderBy, then by ID the same way. Reads only.
func (st *Store) ListProjects(actor *User, f ProjectFilter, now time.Time) []*Project {
	var out []*Project
	for _, p := range st.Projects() {
		switch {
		case f.Group != nil && p.GroupID != f.Group.ID && !(f.IncludeSubgroups && st.isDescendant(st.groups[p.GroupID], f.Group)) &&
			!(f.WithShared && sharedWith(p.SharedWith, f.Group.ID)):
			continue
		case f.Owner != nil && (p.GroupID != 0 || p.OwnerID != f.Owner.ID):
			continue
		case f.Search != "" && !containsFold(p.Name, f.Search) && !containsFold(p.Path, f.Search) && !containsFold(p.Description, f.Search):
			continue
		case f.Visibility != "" && p.Visibility != f.Visibility:
			continue
		case !st.CanReadProject(actor, p, now):
			continue
		}
		if f.Owned || f.Membership || f.MinAccessLevel > 0 {
			if actor == nil {
				continue
			}
			role := st.ProjectAccess(actor, p, now)
			if f.Owned && (p.GroupID != 0 || p.OwnerID != actor.ID) || f.Membership && role == 0 || role < f.MinAccessLevel {
				continue
			}
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b *Project) int {
		r := 0
		switch f.OrderBy {
		case "name":
			r = strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		case "path":
			r = strings.Compare(strings.ToLower(a.Path), strings.ToLower(b.Path))
		case "id":
		default:
			r = a.CreatedAt.Compare(b.CreatedAt)
		}
		r = cmp.Or(r, cmp.Compare(a.ID, b.ID))
		if f.Desc {
			r = -r
		}
		return r
	})
	return out
}

// ShareProject is POST /projects/:id/share
// (Projects::GroupLinks::CreateService): the caller needs admin_project
// (Maintainer) in p, then a role in with (read_namespace_via_membership;
// administrators may share with any group), else the service's 404 "Not
// Found". Sharing with the project's own group or one of its ancestors,
// or with a group it is already shared with, is a conflict of
// ProjectGroupLink's validations.
func (st *Store) ShareProject(actor *User, p *Project, with *Group, level int, expires *time.Time, now time.Time) (Share, error) {
	if st.projectRole(actor, p, now) < AccessMaintainer {
		return Share{}, forbidden("")
	}
	if with == nil || !actor.Admin && st.GroupAccess(actor, with, now) == 0 {
		return Share{}, refused(NotFound, "Not Found")
	}
	if g := st.groups[p.GroupID]; g != nil && (g.ID == with.ID || st.isDescendant(g, with)) {
		return Share{}, refused(Conflict, "Project cannot be shared with the group it is in or one of its ancestors.")
	}
	if sharedWith(p.SharedWith, with.ID) {
		return Share{}, refused(Conflict, "Group already shared with this group")
	}
	return st.addShare(&p.SharedWith, with, level, expires), nil
}

// UnshareProject is DELETE /projects/:id/share/:group_id: Maintainer of
// p (admin_project), then the link (404 "Group Link").
func (st *Store) UnshareProject(actor *User, p *Project, withID int64, now time.Time) error {
	if st.projectRole(actor, p, now) < AccessMaintainer {
		return forbidden("")
	}
	return unshare(&p.SharedWith, withID)
}
