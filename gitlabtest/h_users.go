package gitlabtest

import (
	"cmp"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// hListUsers is GET /users: the parameters (400), then the model's
// filter for the caller (403), then a page of the users it keeps, in
// the order asked (by relevance for a search without one).
func hListUsers(c *reqCtx) answer {
	v := c.validate()
	f := model.UserFilter{Username: v.optStr("username"), PublicEmail: v.optStr("public_email")}
	v.allOrNone("extern_uid", "provider")
	f.Search = v.optStr("search")
	f.Active, f.Humans, f.External, f.Blocked = v.flag("active"), v.flag("humans"), v.flag("external"), v.flag("blocked")
	f.WithoutProjects, f.WithoutProjectBots, f.Admins = v.flag("without_projects"), v.flag("without_project_bots"), v.flag("admins")
	f.CreatedAfter, f.CreatedBefore = v.optTime("created_after"), v.optTime("created_before")
	f.TwoFactor = v.optStr("two_factor")
	f.ExcludeActive, f.ExcludeExternal, f.ExcludeHumans = v.flag("exclude_active"), v.flag("exclude_external"), v.flag("exclude_humans")
	_ = v.flag("exclude_internal")
	orderBy := v.optValue("order_by", "id", "name", "username", "created_at", "updated_at")
	sortDir := v.optValue("sort", "asc", "desc")
	withCA := v.flag("with_custom_attributes")
	keyset := c.get("pagination") == "keyset"
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	if c.has("extern_uid") {
		f.Identity = &UserIdentity{Provider: c.get("provider"), ExternUID: c.get("extern_uid")}
	}
	f.CustomAttributes = c.hash("custom_attributes")
	filter, err := c.s.st.UsersFilter(c.viewer, f)
	if err != nil {
		return refusal(err)
	}
	lvl := lvlBasic
	if c.admin() {
		lvl = lvlAdmin
	}
	withCA = withCA && c.admin()

	render := func(u *user) any { return c.userJSON(u, lvl, withCA) }
	field, desc := valueOr(orderBy, "id"), valueOr(sortDir, "desc") == "desc"
	byID := field == "id" || field == "created_at"
	ranked := !keyset && f.Search != nil && orderBy == nil && sortDir == nil
	if byID && !ranked && !c.s.scanLists {
		// The common case, at a cost that does not grow with the number
		// of users: the ID order is kept by the store.
		if keyset {
			return c.keysetByID(filter.Match, desc, pg.perPage, render)
		}
		return c.offsetByID(filter.Match, filter.KeepsAll(), desc, pg, render)
	}
	var out []*user
	for _, u := range c.s.st.UsersByID() {
		if filter.Match(u) {
			out = append(out, u)
		}
	}
	if keyset {
		return c.keysetUsers(out, field, desc, pg.perPage, render)
	}
	if ranked {
		model.RankSearch(out, *f.Search)
	} else {
		model.SortUsers(out, field, desc)
	}
	return listAnswer(c, out, pg, true, render)
}

// offsetByID answers an offset page of the users that match, by ID
// (descending when desc), reading no more users than the page and its
// headers need: with everyone (match keeps all), none but the page's.
func (c *reqCtx) offsetByID(match func(*user) bool, everyone, desc bool, pg pages, render func(*user) any) answer {
	if fail := offsetCapped(pg); fail != nil {
		return *fail
	}
	users := c.s.st.UsersByID()
	start := (pg.page - 1) * pg.perPage
	if everyone {
		lo, hi := min(start, len(users)), min(start+pg.perPage, len(users))
		window := make([]*user, 0, hi-lo)
		for i := lo; i < hi; i++ {
			if desc {
				window = append(window, users[len(users)-1-i])
			} else {
				window = append(window, users[i])
			}
		}
		return pageAnswer(c, window, pg, len(users), render)
	}
	// Count the matches up to the first one that shows there is a next
	// page and that the total is above countLimit (not reported then).
	limit := max(start+pg.perPage+1, countLimit+1)
	var window []*user
	n := 0
	for i := range users {
		u := users[i]
		if desc {
			u = users[len(users)-1-i]
		}
		if !match(u) {
			continue
		}
		if n >= start && n < start+pg.perPage {
			window = append(window, u)
		}
		if n++; n == limit {
			break
		}
	}
	return pageAnswer(c, window, pg, n, render)
}

// keysetByID answers a keyset page of the users that match, by ID
// (descending when desc), from the cursor's position found by binary
// search.
func (c *reqCtx) keysetByID(match func(*user) bool, desc bool, perPage int, render func(*user) any) answer {
	users := c.s.st.UsersByID()
	i, step := 0, 1
	if desc {
		i, step = len(users)-1, -1
	}
	if cs, ok := c.str("cursor"); ok {
		cur, ok := decodeCursor(cs)
		if !ok {
			return grapeError("cursor is invalid")
		}
		i = c.s.st.IndexAfter(cur.ID) // first ID > cur.ID
		if desc {
			i = c.s.st.IndexAfter(cur.ID-1) - 1 // last ID < cur.ID
		}
	}
	page := make([]*user, 0, perPage)
	more := false
	for ; i >= 0 && i < len(users); i += step {
		if !match(users[i]) {
			continue
		}
		if len(page) == perPage {
			more = true
			break
		}
		page = append(page, users[i])
	}
	return c.keysetAnswer(page, more, "id", perPage, render)
}

// keysetUsers answers a keyset-paginated page: no offset headers, and a
// Link rel="next" with a cursor when there is more.
func (c *reqCtx) keysetUsers(users []*user, field string, desc bool, perPage int, render func(*user) any) answer {
	if field == "created_at" {
		field = "id"
	}
	model.SortUsers(users, field, desc)
	start := 0
	if cs, ok := c.str("cursor"); ok {
		cur, ok := decodeCursor(cs)
		if !ok {
			return grapeError("cursor is invalid")
		}
		// first row strictly after the cursor in this order
		start = len(users)
		for i, u := range users {
			r := 0
			if field != "id" {
				r = model.CompareSortKeys(field, model.SortKey(u, field), cur.V)
			}
			if r == 0 {
				r = cmp.Compare(u.ID, cur.ID)
			}
			if desc {
				r = -r
			}
			if r > 0 {
				start = i
				break
			}
		}
	}
	end := min(start+perPage, len(users))
	return c.keysetAnswer(users[start:end], end < len(users), field, perPage, render)
}

// keysetAnswer answers a keyset page: no offset headers, and a Link
// rel="next" with the cursor of the page's last row when there is more.
func (c *reqCtx) keysetAnswer(page []*user, more bool, field string, perPage int, render func(*user) any) answer {
	res := make([]any, 0, len(page))
	for _, u := range page {
		res = append(res, render(u))
	}
	a := reply(http.StatusOK, res)
	if more && len(page) > 0 {
		last := page[len(page)-1]
		q := c.linkQuery()
		q.Del("page")
		q.Set("per_page", strconv.Itoa(perPage))
		q.Set("cursor", encodeCursor(cursor{V: model.SortKey(last, field), ID: last.ID}))
		a.header = http.Header{"Link": {"<" + c.s.URL + c.r.URL.EscapedPath() + "?" + q.Encode() + `>; rel="next"`}}
	}
	return a
}

func hGetUser(c *reqCtx) answer {
	v := c.validate()
	withCA := v.flag("with_custom_attributes")
	u, fail := c.owner(v, signedIn)
	switch {
	case fail != nil:
		return *fail
	case c.admin():
		return reply(http.StatusOK, c.userJSON(u, lvlAdminDetails, withCA))
	}
	return reply(http.StatusOK, c.userJSON(u, lvlProfile, false))
}

func hCurrentUser(c *reqCtx) answer {
	if c.viewer.Admin {
		return reply(http.StatusOK, c.userJSON(c.viewer, lvlAdmin, false))
	}
	return reply(http.StatusOK, c.userJSON(c.viewer, lvlPublic, false))
}

func hUserCounts(c *reqCtx) answer {
	n := c.viewer.Counts
	return reply(http.StatusOK, (&obj{}).set("merge_requests", n.AssignedMergeRequests).set("assigned_issues", n.AssignedIssues).
		set("assigned_merge_requests", n.AssignedMergeRequests).set("review_requested_merge_requests", n.ReviewRequestedMergeRequests).
		set("todos", n.Todos))
}

func hActivities(c *reqCtx) answer {
	v := c.validate()
	from := v.optTime("from")
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	return listAnswer(c, c.s.st.Activities(c.viewer, from, c.now), pg, false, func(u *user) any {
		d := date(u.LastActivityOn)
		return (&obj{}).set("username", u.Username).set("last_activity_on", d).set("last_activity_at", d)
	})
}

func hMemberships(c *reqCtx) answer {
	v := c.validate()
	typ := v.optValue("type", SourceProject, SourceNamespace)
	pg := v.pages()
	u, fail := c.owner(v, adminOnly)
	if fail != nil {
		return *fail
	}
	return listAnswer(c, c.s.st.Memberships(u, valueOr(typ, ""), c.now), pg, false, func(m UserMembership) any {
		return (&obj{}).set("source_id", m.SourceID).set("source_name", m.SourceName).
			set("source_type", m.SourceType).set("access_level", m.AccessLevel)
	})
}

// --- create / update ------------------------------------------------------

// readUserAttrs reads the optional attributes POST and PUT /users
// share. skype is not declared any more (18.x), so Grape drops it like
// any unknown param.
func (c *reqCtx) readUserAttrs(v *validator, a *model.UserAttrs) {
	for _, f := range []struct {
		k   string
		dst **string
	}{
		{"github", &a.GitHub}, {"linkedin", &a.Linkedin}, {"twitter", &a.Twitter}, {"discord", &a.Discord},
		{"website_url", &a.WebsiteURL}, {"organization", &a.Organization}, {"bio", &a.Bio}, {"location", &a.Location},
		{"pronouns", &a.Pronouns}, {"public_email", &a.PublicEmail}, {"commit_email", &a.CommitEmail}, {"note", &a.Note},
		{"job_title", &a.JobTitle},
	} {
		*f.dst = v.optStr(f.k)
	}
	a.ProjectsLimit = v.optInt("projects_limit")
	v.allOrNone("extern_uid", "provider")
	a.Admin, a.CanCreateGroup, a.External = v.optBool("admin"), v.optBool("can_create_group"), v.optBool("external")
	a.ThemeID, a.ColorSchemeID = v.optInt("theme_id"), v.optInt("color_scheme_id")
	a.Private = v.optBool("private_profile")
	a.ViewDiffsFileByFile, a.PolicyAdvancedEditor = v.optBool("view_diffs_file_by_file"), v.optBool("policy_advanced_editor")
	if fhs := c.files["avatar"]; len(fhs) > 0 {
		f, err := fhs[0].Open()
		if err == nil {
			data, _ := io.ReadAll(f)
			f.Close()
			a.Avatar = &model.Avatar{Filename: fhs[0].Filename, Data: data}
		}
	} else if c.has("avatar") {
		v.errs = append(v.errs, "avatar is invalid")
	}
	if c.has("extern_uid") {
		a.Identity = &UserIdentity{Provider: c.get("provider"), ExternUID: c.get("extern_uid")}
	}
}

func hCreateUser(c *reqCtx) answer {
	v := c.validate()
	var a model.UserAttrs
	addr := v.require("email")
	v.atLeastOne("password", "reset_password", "force_random_password")
	a.Password = v.optStr("password")
	resetPw, randomPw := v.flag("reset_password"), v.flag("force_random_password")
	a.RandomPassword = resetPw || randomPw
	a.SkipConfirmation = v.flag("skip_confirmation")
	name, username := v.require("name"), v.require("username")
	a.Email, a.Name, a.Username = &addr, &name, &username
	c.readUserAttrs(v, &a)
	if fail := cmp.Or(v.check(), c.requireAdmin()); fail != nil {
		return *fail
	}
	u, err := c.s.st.CreateUser(c.viewer, a, c.now)
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusCreated, c.userJSON(u, lvlAdmin, false))
}

func hUpdateUser(c *reqCtx) answer {
	v := c.validate()
	var a model.UserAttrs
	a.Email, a.Password = v.optStr("email"), v.optStr("password")
	a.SkipConfirmation = v.flag("skip_reconfirmation")
	a.Name, a.Username = v.optStr("name"), v.optStr("username")
	c.readUserAttrs(v, &a)
	u, fail := c.owner(v, adminOnly)
	if fail != nil {
		return *fail
	}
	if err := c.s.st.UpdateUser(c.viewer, u, a, c.now); err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, c.userJSON(u, lvlAdmin, false))
}

func hDeleteUser(c *reqCtx) answer {
	v := c.validate()
	hard := v.flag("hard_delete")
	u, fail := c.owner(v, adminOnly)
	if fail != nil {
		return *fail
	}
	if err := c.s.st.CheckRemovable(u, hard); err != nil {
		return refusal(err)
	}
	return c.destroy(u.UpdatedAt, func() { c.s.st.DestroyUser(c.viewer, u, c.now) })
}

// userOp serves an operation op on the user of the path, after o's
// checks (see owner), answering done once the model allowed it.
func userOp(o owner, op func(c *reqCtx, u *user) error, done func() answer) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		u, fail := c.owner(c.validate(), o)
		if fail != nil {
			return *fail
		}
		if err := op(c, u); err != nil {
			return refusal(err)
		}
		return done()
	}
}

// hDeleteIdentity is DELETE /users/:id/identities/:provider: 204.
var hDeleteIdentity = userOp(adminOnly, func(c *reqCtx, u *user) error { return c.s.st.DeleteIdentity(u, c.vars["provider"], c.now) },
	func() answer { return noBody(http.StatusNoContent) })

// --- associations, preferences, avatar, runners, support PIN -------------

// hAssociationsCount is GET /users/:id/associations_count: the user is
// found first (404 for everyone), then the model says who may read.
func hAssociationsCount(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), anyUser)
	if fail != nil {
		return *fail
	}
	n, err := c.s.st.AssociationsCount(c.viewer, u)
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, (&obj{}).set("groups_count", n.Groups).set("projects_count", n.Projects).
		set("issues_count", n.Issues).set("merge_requests_count", n.MergeRequests))
}

var preferenceKeys = []string{"view_diffs_file_by_file", "show_whitespace_in_diffs", "pass_user_identities_to_ci_jwt", "policy_advanced_editor"}

func preferencesJSON(u *user) *obj {
	p := u.Preferences
	return (&obj{}).set("id", u.ID).set("user_id", u.ID).set("view_diffs_file_by_file", p.ViewDiffsFileByFile).
		set("show_whitespace_in_diffs", p.ShowWhitespaceInDiffs).set("pass_user_identities_to_ci_jwt", p.PassUserIdentitiesToCIJWT).
		set("policy_advanced_editor", p.PolicyAdvancedEditor)
}

func hGetPreferences(c *reqCtx) answer { return reply(http.StatusOK, preferencesJSON(c.viewer)) }

// hUpdatePreferences is PUT /user/preferences: four Booleans with
// at_least_one_of.
func hUpdatePreferences(c *reqCtx) answer {
	v := c.validate()
	v.atLeastOne(preferenceKeys...)
	var p model.PreferencesUpdate
	for i, dst := range []**bool{&p.ViewDiffsFileByFile, &p.ShowWhitespaceInDiffs, &p.PassUserIdentitiesToCIJWT, &p.PolicyAdvancedEditor} {
		*dst = v.optBool(preferenceKeys[i])
	}
	if fail := v.check(); fail != nil {
		return *fail
	}
	c.s.st.UpdatePreferences(c.viewer, p)
	return reply(http.StatusOK, preferencesJSON(c.viewer))
}

// hUploadAvatar is PUT /user/avatar: a multipart file "avatar" (400
// "avatar is missing" without one), answered with the avatar URL only.
// The fake serves the bytes at that URL.
func hUploadAvatar(c *reqCtx) answer {
	fhs := c.files["avatar"]
	if len(fhs) == 0 {
		return grapeError("avatar is missing")
	}
	f, err := fhs[0].Open()
	if err != nil {
		return grapeError("avatar is invalid")
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, model.MaxAvatarSize+1))
	if err != nil {
		return grapeError("avatar is invalid")
	}
	if err := c.s.st.SetAvatar(c.viewer, model.Avatar{Filename: fhs[0].Filename, Data: b}, c.now); err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, (&obj{}).set("avatar_url", c.avatarURL(c.viewer)))
}

// hCreateRunner is POST /user/runners (lib/api/user_runners.rb, with
// EE's token_expires_at and token_rotation_deadline from
// ee/lib/ee/api/ci/helpers/runner_helpers.rb): the parameters (the
// token's scope, api or create_runner, is its route group's), then the model's rules of who may create which runner
// and when its token may expire; it answers a glrt- token and its
// expiry (Entities::Ci::RunnerRegistrationDetails).
func hCreateRunner(c *reqCtx) answer {
	v := c.validate()
	typ := v.optValue("runner_type", model.RunnerInstance, model.RunnerGroup, model.RunnerProject)
	if !c.has("runner_type") {
		v.errs = append(v.errs, "runner_type is missing", "runner_type does not have a valid value")
	}
	groupID, projectID := v.optInt("group_id"), v.optInt("project_id")
	if typ != nil && *typ == model.RunnerGroup && groupID == nil {
		v.errs = append(v.errs, "group_id is missing")
	}
	if typ != nil && *typ == model.RunnerProject && projectID == nil {
		v.errs = append(v.errs, "project_id is missing")
	}
	desc := v.optStr("description")
	paused, _ := v.optBool("paused"), v.optBool("run_untagged")
	_ = v.optValue("access_level", "not_protected", "ref_protected")
	_ = v.optInt("maximum_timeout")
	expires, deadline := v.optTime("token_expires_at"), v.optTime("token_rotation_deadline")
	if fail := v.check(); fail != nil {
		return *fail
	}
	spec := model.RunnerSpec{Type: *typ, RunUntagged: !c.has("run_untagged") || v.flag("run_untagged"),
		TokenExpiresAt: expires, TokenRotationDeadline: deadline, Description: valueOr(desc, ""), Paused: paused != nil && *paused}
	spec.TagList, _ = c.list("tag_list")
	if groupID != nil {
		spec.GroupID = *groupID
	}
	if projectID != nil {
		spec.ProjectID = *projectID
	}
	r, err := c.s.st.CreateRunner(c.viewer, spec, c.now)
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusCreated, (&obj{}).set("id", r.ID).set("token", r.Token).set("token_expires_at", ts(r.TokenExpiresAt)))
}

func hCreateSupportPIN(c *reqCtx) answer {
	return reply(http.StatusCreated, supportPINJSON(c.s.st.CreateSupportPIN(c.viewer, c.now)))
}

// getSupportPIN serves GET /user/support_pin (self) and GET
// /users/:id/support_pin (adminOnly).
func getSupportPIN(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		u, fail := c.owner(c.validate(), o)
		if fail != nil {
			return *fail
		}
		p, err := c.s.st.LiveSupportPIN(u, c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusOK, supportPINJSON(p))
	}
}

// hRevokeSupportPIN makes the PIN expire now and answers 202.
var hRevokeSupportPIN = userOp(adminOnly, func(c *reqCtx, u *user) error { return c.s.st.RevokeSupportPIN(u, c.now) },
	func() answer { return literal(http.StatusAccepted, "202") })

// avatarPath is where uploads serves user avatars; avatarURL hands out
// avatarPath + "<user id>/<file name>".
const avatarPath = "/uploads/-/system/user/avatar/"

// serveAvatar answers GET avatarPath<id>/<name> with the bytes last
// uploaded as that user's avatar, or 404.
func (s *Server) serveAvatar(w http.ResponseWriter, r *http.Request) {
	id, name, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, avatarPath), "/")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		http.NotFound(w, r)
		return
	}
	s.mu.RLock()
	var body []byte
	if u := s.st.User(n); u != nil && u.AvatarFilename != "" && u.AvatarFilename == name {
		body = slices.Clone(u.Avatar)
	}
	s.mu.RUnlock()
	if body == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", http.DetectContentType(body))
	_, _ = w.Write(body)
}
