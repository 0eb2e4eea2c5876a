package gitlabtest

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// The Projects API (lib/api/projects.rb): the parameters (400), then
// the project (404 Project Not Found, for a missing project and one the
// caller may not read alike), then the caller's ability (403), then the
// model's validations.

// pathProject is find_project!(params[:id]): the project of :ref (an ID
// or a full path) if the caller may read it, else 404 Project Not Found.
func (c *reqCtx) pathProject() (*project, *answer) {
	p := c.s.st.FindProject(c.vars["ref"])
	if p == nil || !c.s.st.CanReadProject(c.viewer, p, c.now) {
		return nil, halt(notFound("Project"))
	}
	return p, nil
}

// readProjectAttrs reads the attributes POST and PUT /projects share.
func readProjectAttrs(v *validator) model.ProjectAttrs {
	return model.ProjectAttrs{Name: v.optStr("name"), Path: v.optStr("path"), Description: v.optStr("description"),
		Visibility: v.optValue("visibility", "private", "internal", "public")}
}

// projectFilter reads the filters the project lists share.
func projectFilter(v *validator) model.ProjectFilter {
	f := model.ProjectFilter{Search: valueOr(v.optStr("search"), ""), Owned: v.flag("owned"),
		Visibility: valueOr(v.optValue("visibility", "private", "internal", "public"), "")}
	f.OrderBy = valueOr(v.optValue("order_by", "id", "name", "path", "created_at", "updated_at", "last_activity_at", "similarity", "star_count"), "created_at")
	f.Desc = valueOr(v.optValue("sort", "asc", "desc"), "desc") == "desc"
	if n := v.optAccessLevel("min_access_level"); n != nil {
		f.MinAccessLevel = *n
	}
	return f
}

// hListProjects is GET /projects: every project the caller may read.
func hListProjects(c *reqCtx) answer {
	v := c.validate()
	f := projectFilter(v)
	f.Membership = v.flag("membership")
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	return listAnswer(c, c.s.st.ListProjects(c.viewer, f, c.now), pg, false, func(p *project) any { return c.projectJSON(p) })
}

// hListUserProjects is GET /users/:user_id/projects: the projects of
// the user's personal namespace that the caller may read.
func hListUserProjects(c *reqCtx) answer {
	v := c.validate()
	f := projectFilter(v)
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	u, fail := c.pathUser()
	if fail != nil {
		return *fail
	}
	f.Owner = u
	return listAnswer(c, c.s.st.ListProjects(c.viewer, f, c.now), pg, false, func(p *project) any { return c.projectJSON(p) })
}

// hCreateProject is POST /projects: in namespace_id, by default the
// caller's own namespace.
func hCreateProject(c *reqCtx) answer {
	v := c.validate()
	v.atLeastOne("name", "path")
	a := readProjectAttrs(v)
	ns := v.optInt("namespace_id")
	if fail := v.check(); fail != nil {
		return *fail
	}
	return c.createProject(c.viewer, ns, a)
}

// hCreateProjectForUser is POST /projects/user/:user_id: an
// administrator creates a project in the user's namespace.
func hCreateProjectForUser(c *reqCtx) answer {
	v := c.validate()
	v.require("name")
	a := readProjectAttrs(v)
	ns := v.optInt("namespace_id")
	if fail := v.check(); fail != nil {
		return *fail
	}
	if fail := c.requireAdmin(); fail != nil {
		return *fail
	}
	u, fail := c.pathUser()
	if fail != nil {
		return *fail
	}
	return c.createProject(u, ns, a)
}

// createProject creates a project for owner's namespace, or the
// namespace ns when given: 201 with the Project entity; the projects
// limit is 403 with its message in a list (error! of the errors'
// limit_reached); other refusals are the validation errors.
func (c *reqCtx) createProject(owner *user, ns *int64, a model.ProjectAttrs) answer {
	var g *group
	if ns != nil {
		g, owner = c.s.st.FindNamespace(itoa(*ns))
	}
	p, err := c.s.st.CreateProject(c.viewer, owner, g, a, c.now)
	var e *model.Error
	if errors.As(err, &e) && e.Fields["limit_reached"] != nil {
		return reply(http.StatusForbidden, msg(e.Fields["limit_reached"]))
	}
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusCreated, c.projectJSON(p))
}

// hGetProject is GET /projects/:id.
func hGetProject(c *reqCtx) answer {
	p, fail := c.pathProject()
	if fail != nil {
		return *fail
	}
	return reply(http.StatusOK, c.projectJSON(p))
}

// hUpdateProject is PUT /projects/:id: 200 with the Project entity, or
// the validation errors by attribute.
func hUpdateProject(c *reqCtx) answer {
	v := c.validate()
	a := readProjectAttrs(v)
	if fail := v.check(); fail != nil {
		return *fail
	}
	p, fail := c.pathProject()
	if fail != nil {
		return *fail
	}
	if err := c.s.st.UpdateProject(c.viewer, p, a, c.now); err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, c.projectJSON(p))
}

// hDeleteProject is DELETE /projects/:id: 202 {"message":"202 Accepted"}.
func hDeleteProject(c *reqCtx) answer {
	v := c.validate()
	permanently := v.flag("permanently_remove")
	fullPath := valueOr(v.optStr("full_path"), "")
	if fail := v.check(); fail != nil {
		return *fail
	}
	p, fail := c.pathProject()
	if fail != nil {
		return *fail
	}
	if err := c.s.st.DeleteProject(c.viewer, p, permanently, fullPath, c.now); err != nil {
		return refusal(err)
	}
	return reply(http.StatusAccepted, msg("202 Accepted"))
}

// hShareProject is POST /projects/:id/share: 201 with the link
// (lib/api/entities/project_group_link.rb).
func hShareProject(c *reqCtx) answer {
	v := c.validate()
	withID, level, expires := readShare(v)
	if fail := v.check(); fail != nil {
		return *fail
	}
	p, fail := c.pathProject()
	if fail != nil {
		return *fail
	}
	link, err := c.s.st.ShareProject(c.viewer, p, c.s.st.Group(withID), level, expires, c.now)
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusCreated, (&obj{}).set("id", link.ID).set("project_id", p.ID).set("group_id", link.GroupID).
		set("group_access", link.Level).set("expires_at", date(link.ExpiresAt)))
}

// hUnshareProject is DELETE /projects/:id/share/:group_id: 204.
func hUnshareProject(c *reqCtx) answer {
	v := c.validate()
	withID := v.pathID("group_id")
	if fail := v.check(); fail != nil {
		return *fail
	}
	p, fail := c.pathProject()
	if fail != nil {
		return *fail
	}
	if err := c.s.st.UnshareProject(c.viewer, p, withID, c.now); err != nil {
		return refusal(err)
	}
	return noBody(http.StatusNoContent)
}

// projectJSON renders lib/api/entities/project.rb's Project (with
// project_identity.rb and basic_project_details.rb). The fake has no
// repository, so default_branch and readme_url are null and empty_repo
// is true; a project is archived only when marked for deletion
// (Projects::MarkForDeletionService archives it). It leaves out the
// fields of features it does not model:
// tag_list and topics' contents, the _links, the feature settings
// (issues_enabled ... and every *_access_level), container registry,
// packages, CI and merge settings, the import fields but import_status,
// statistics, permissions, forked_from_project, license, custom
// attributes, and updated_at. import_status is always exposed and is
// "none" for a project nothing was imported into (Project#import_status,
// app/models/project.rb); clients wait on any other value (Terraform's
// gitlab_project polls GET /projects/:id/import until "finished").
func (c *reqCtx) projectJSON(p *project) *obj {
	nsName, nsPath, kind, nsFull, nsFullName, nsWeb := "", "", "group", "", "", ""
	var nsID, nsParent int64
	var nsAvatar any
	owner := c.s.st.User(p.OwnerID)
	if g := c.s.st.Group(p.GroupID); g != nil {
		owner = nil
		nsID, nsName, nsPath, nsFull, nsParent = g.ID, g.Name, g.Path, g.FullPath, g.ParentID
		nsFullName, nsWeb = c.groupFullName(g), c.s.URL+"/groups/"+g.FullPath
	} else if owner != nil {
		kind = "user"
		nsID, nsName, nsPath, nsFull, nsFullName = owner.NamespaceID, owner.Name, owner.Username, owner.Username, owner.Name
		nsWeb, nsAvatar = c.webURL(owner), c.avatarURL(owner)
	}
	host := strings.TrimPrefix(strings.TrimPrefix(c.s.URL, "http://"), "https://")
	if u, err := url.Parse(c.s.URL); err == nil {
		host = u.Hostname()
	}
	o := &obj{}
	o.set("id", p.ID).set("description", nullIfEmpty(p.Description)).set("name", p.Name)
	o.set("name_with_namespace", nsFullName+" / "+p.Name).set("path", p.Path).set("path_with_namespace", p.PathWithNamespace)
	o.set("created_at", tsv(p.CreatedAt)).set("default_branch", nil).set("tag_list", []string{}).set("topics", []string{})
	o.set("ssh_url_to_repo", "git@"+host+":"+p.PathWithNamespace+".git")
	o.set("http_url_to_repo", c.s.URL+"/"+p.PathWithNamespace+".git").set("web_url", c.s.URL+"/"+p.PathWithNamespace)
	o.set("readme_url", nil).set("forks_count", 0).set("avatar_url", nil).set("star_count", 0)
	o.set("last_activity_at", tsv(p.CreatedAt)).set("visibility", p.Visibility)
	ns := (&obj{}).set("id", nsID).set("name", nsName).set("path", nsPath).set("kind", kind).set("full_path", nsFull).
		set("parent_id", zeroNull(nsParent)).set("avatar_url", nsAvatar).set("web_url", nsWeb)
	o.set("namespace", ns).set("empty_repo", true).set("archived", p.MarkedForDeletionOn != nil).set("import_status", "none")
	if owner != nil {
		o.set("owner", c.userJSON(owner, lvlBasic, false))
	}
	o.set("marked_for_deletion_at", date(p.MarkedForDeletionOn)).set("marked_for_deletion_on", date(p.MarkedForDeletionOn))
	return o.set("shared_with_groups", c.sharesJSON(p.SharedWith))
}
