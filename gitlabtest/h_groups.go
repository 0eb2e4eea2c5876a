package gitlabtest

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// The Groups API (lib/api/groups.rb): the parameters (400), then the
// group (404 Group Not Found, for a missing group and one the caller
// may not read alike), then the caller's ability (403), then the
// model's validations.

// pathGroup is find_group!(params[:id]): the group of :ref (an ID or a
// full path) if the caller may read it, else 404 Group Not Found.
func (c *reqCtx) pathGroup() (*group, *answer) {
	g := c.s.st.FindGroup(c.vars["ref"])
	if g == nil || !c.s.st.CanReadGroup(c.viewer, g, c.now) {
		return nil, halt(notFound("Group"))
	}
	return g, nil
}

// groupIDOp is the handler of a group route with an ID in its path
// (param) whose model operation answers 204 when it succeeds: DELETE
// /groups/:id/share/:group_id (UnshareGroup), PUT
// /groups/:id/members/:member_id/approve (ApproveMember) and DELETE
// /groups/:id/billable_members/:user_id (RemoveBillable).
func groupIDOp(param string, op func(st *model.Store, actor *user, g *group, id int64, now time.Time) error) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		id := v.pathID(param)
		if fail := v.check(); fail != nil {
			return *fail
		}
		g, fail := c.pathGroup()
		if fail != nil {
			return *fail
		}
		if err := op(c.s.st, c.viewer, g, id, c.now); err != nil {
			return refusal(err)
		}
		return noBody(http.StatusNoContent)
	}
}

// readGroupAttrs reads the attributes POST and PUT /groups share.
func readGroupAttrs(v *validator) model.GroupAttrs {
	return model.GroupAttrs{Name: v.optStr("name"), Path: v.optStr("path"), Description: v.optStr("description"),
		Visibility: v.optValue("visibility", "private", "internal", "public")}
}

// groupFilter reads GET /groups' group_list_params.
func groupFilter(v *validator) model.GroupFilter {
	f := model.GroupFilter{AllAvailable: v.optBool("all_available"), Search: valueOr(v.optStr("search"), ""),
		Owned: v.flag("owned"), TopLevelOnly: v.flag("top_level_only"),
		Visibility: valueOr(v.optValue("visibility", "private", "internal", "public"), "")}
	f.OrderBy = valueOr(v.optValue("order_by", "name", "path", "id", "similarity"), "name")
	f.Desc = valueOr(v.optValue("sort", "asc", "desc"), "asc") == "desc"
	if n := v.optAccessLevel("min_access_level"); n != nil {
		f.MinAccessLevel = *n
	}
	if ids, ok := v.c.list("skip_groups"); ok {
		for _, s := range ids {
			if !model.AllDigits(s) {
				v.errs = append(v.errs, "skip_groups is invalid")
				break
			}
			id, _ := strconv.ParseInt(s, 10, 64)
			f.SkipGroups = append(f.SkipGroups, id)
		}
	}
	return f
}

// optAccessLevel reads an Integer limited to Gitlab::Access.all_values.
func (v *validator) optAccessLevel(k string) *int {
	n := v.optInt(k)
	if n == nil {
		return nil
	}
	switch *n {
	case model.AccessGuest, model.AccessPlanner, model.AccessReporter, model.AccessDeveloper, model.AccessMaintainer, model.AccessOwner:
		l := int(*n)
		return &l
	}
	v.errs = append(v.errs, k+" does not have a valid value")
	return nil
}

// hListGroups is GET /groups.
func hListGroups(c *reqCtx) answer {
	v := c.validate()
	f := groupFilter(v)
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	return listAnswer(c, c.s.st.ListGroups(c.viewer, nil, false, f, c.now), pg, false, func(g *group) any { return c.groupJSON(g, false) })
}

// listSubgroups is GET /groups/:id/subgroups, or descendant_groups.
func listSubgroups(descendants bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		f := groupFilter(v)
		pg := v.pages()
		if fail := v.check(); fail != nil {
			return *fail
		}
		g, fail := c.pathGroup()
		if fail != nil {
			return *fail
		}
		return listAnswer(c, c.s.st.ListGroups(c.viewer, g, descendants, f, c.now), pg, false, func(g *group) any { return c.groupJSON(g, false) })
	}
}

// hCreateGroup is POST /groups: 201 with the GroupDetail entity. The
// service's validation errors come back as GitLab words them, "Failed
// to save group" and the errors' Ruby hash.
func hCreateGroup(c *reqCtx) answer {
	v := c.validate()
	v.require("name")
	v.require("path")
	a := readGroupAttrs(v)
	parent := v.optInt("parent_id")
	if fail := v.check(); fail != nil {
		return *fail
	}
	if parent != nil {
		a.ParentID = *parent
	}
	g, err := c.s.st.CreateGroup(c.viewer, a, c.now)
	var e *model.Error
	if errors.As(err, &e) && e.Kind == model.Invalid {
		return reply(http.StatusBadRequest, msg("Failed to save group "+rubyHash(e.Fields)))
	}
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusCreated, c.groupJSON(g, true))
}

// hGetGroup is GET /groups/:id: the GroupDetail entity, or Group with
// with_projects=false.
func hGetGroup(c *reqCtx) answer {
	v := c.validate()
	withProjects := v.optBool("with_projects")
	if fail := v.check(); fail != nil {
		return *fail
	}
	g, fail := c.pathGroup()
	if fail != nil {
		return *fail
	}
	return reply(http.StatusOK, c.groupJSON(g, withProjects == nil || *withProjects))
}

// hUpdateGroup is PUT /groups/:id: 200 with GroupDetail, or the
// validation errors by attribute.
func hUpdateGroup(c *reqCtx) answer {
	v := c.validate()
	a := readGroupAttrs(v)
	if fail := v.check(); fail != nil {
		return *fail
	}
	g, fail := c.pathGroup()
	if fail != nil {
		return *fail
	}
	if err := c.s.st.UpdateGroup(c.viewer, g, a, c.now); err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, c.groupJSON(g, true))
}

// hDeleteGroup is DELETE /groups/:id: 202 {"message":"202 Accepted"}.
func hDeleteGroup(c *reqCtx) answer {
	v := c.validate()
	permanently := v.flag("permanently_remove")
	fullPath := valueOr(v.optStr("full_path"), "")
	if fail := v.check(); fail != nil {
		return *fail
	}
	g, fail := c.pathGroup()
	if fail != nil {
		return *fail
	}
	if err := c.s.st.DeleteGroup(c.viewer, g, permanently, fullPath, c.now); err != nil {
		return refusal(err)
	}
	return reply(http.StatusAccepted, msg("202 Accepted"))
}

// hListGroupProjects is GET /groups/:id/projects: the Project entity,
// newest first unless asked otherwise; with_shared (default true) adds
// the projects shared with the group.
func hListGroupProjects(c *reqCtx) answer {
	v := c.validate()
	f := projectFilter(v)
	f.IncludeSubgroups = v.flag("include_subgroups")
	withShared := v.optBool("with_shared")
	f.WithShared = withShared == nil || *withShared
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	g, fail := c.pathGroup()
	if fail != nil {
		return *fail
	}
	f.Group = g
	return listAnswer(c, c.s.st.ListProjects(c.viewer, f, c.now), pg, false, func(p *project) any { return c.projectJSON(p) })
}

// readShare reads the parameters of POST /groups/:id/share and POST
// /projects/:id/share.
func readShare(v *validator) (groupID int64, level int, expires *time.Time) {
	v.require("group_id")
	v.require("group_access")
	id := v.optInt("group_id")
	l := v.optAccessLevel("group_access")
	expires = v.optDate("expires_at")
	if id != nil {
		groupID = *id
	}
	if l != nil {
		level = *l
	}
	return groupID, level, expires
}

// hShareGroup is POST /groups/:id/share: find_group! for both groups
// (404 Group Not Found), then Groups::GroupLinks::CreateService; 201
// with the shared group's GroupDetail.
func hShareGroup(c *reqCtx) answer {
	v := c.validate()
	withID, level, expires := readShare(v)
	if fail := v.check(); fail != nil {
		return *fail
	}
	g, fail := c.pathGroup()
	if fail != nil {
		return *fail
	}
	with := c.s.st.Group(withID)
	if with == nil || !c.s.st.CanReadGroup(c.viewer, with, c.now) {
		return notFound("Group")
	}
	if _, err := c.s.st.ShareGroup(c.viewer, g, with, level, expires, c.now); err != nil {
		return refusal(err)
	}
	return reply(http.StatusCreated, c.groupJSON(g, true))
}

// groupJSON renders lib/api/entities/group.rb's Group, or GroupDetail
// (detail) with shared_with_groups and the projects the viewer may
// read. The fake leaves out the fields of settings it does not model:
// share_with_group_lock, require_two_factor_authentication,
// two_factor_grace_period, project_creation_level,
// subgroup_creation_level, auto_devops_enabled, emails_enabled,
// mentions_disabled, lfs_enabled, the math rendering limits,
// default_branch_protection(_defaults), request_access_enabled,
// organization_id, shared_runners_setting, max_artifacts_size,
// wiki_access_level, the ldap and duo fields, statistics and custom
// attributes; and of GroupDetail runners_token, shared_projects,
// enabled_git_access_protocol and the prevent_* settings.
func (c *reqCtx) groupJSON(g *group, detail bool) *obj {
	o := &obj{}
	o.set("id", g.ID).set("web_url", c.s.URL+"/groups/"+g.FullPath).set("name", g.Name).set("path", g.Path)
	o.set("description", g.Description).set("visibility", g.Visibility).set("default_branch", nil)
	o.set("avatar_url", nil).set("full_name", c.groupFullName(g)).set("full_path", g.FullPath)
	o.set("created_at", tsv(g.CreatedAt)).set("parent_id", zeroNull(g.ParentID))
	o.set("marked_for_deletion_on", date(g.MarkedForDeletionOn))
	if !detail {
		return o
	}
	o.set("shared_with_groups", c.sharesJSON(g.SharedWith))
	projects := []any{}
	for _, p := range c.s.st.ListProjects(c.viewer, model.ProjectFilter{Group: g, Desc: true}, c.now) {
		projects = append(projects, c.projectJSON(p))
	}
	return o.set("projects", projects)
}

// groupFullName is Namespace#full_name: the names from the top, joined
// by " / ".
func (c *reqCtx) groupFullName(g *group) string {
	var names []string
	for seen := 0; g != nil && seen < 100; seen++ {
		names = append([]string{g.Name}, names...)
		g = c.s.st.Group(g.ParentID)
	}
	return strings.Join(names, " / ")
}

// sharesJSON renders shared_with_groups (lib/api/entities/shared_group_with_group.rb
// and the project's): the groups that still exist.
func (c *reqCtx) sharesJSON(shares []model.Share) []any {
	out := []any{}
	for _, s := range shares {
		w := c.s.st.Group(s.GroupID)
		if w == nil {
			continue
		}
		out = append(out, (&obj{}).set("group_id", w.ID).set("group_name", w.Name).set("group_full_path", w.FullPath).
			set("group_access_level", s.Level).set("expires_at", date(s.ExpiresAt)))
	}
	return out
}

func zeroNull(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// rubyHash writes validation messages as Ruby 3.3 inspects
// errors.messages: {:path=>["has already been taken"]}, attributes in
// GitLab's validation order.
func rubyHash(fields map[string][]string) string {
	var b strings.Builder
	b.WriteByte('{')
	n := 0
	for _, k := range orderedAttrs(fields) {
		if n++; n > 1 {
			b.WriteString(", ")
		}
		b.WriteString(":" + k + "=>[")
		for i, m := range fields[k] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(`"` + strings.ReplaceAll(m, `"`, `\"`) + `"`)
		}
		b.WriteByte(']')
	}
	return b.String() + "}"
}

// orderedAttrs lists fields' attributes: name, path and
// visibility_level first (the order of the model's validations), then
// any other.
func orderedAttrs(fields map[string][]string) []string {
	var out []string
	for _, k := range []string{"name", "path", "visibility_level"} {
		if _, ok := fields[k]; ok {
			out = append(out, k)
		}
	}
	for k := range fields {
		if k != "name" && k != "path" && k != "visibility_level" {
			out = append(out, k)
		}
	}
	return out
}
