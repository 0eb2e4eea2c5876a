package gitlabtest

import (
	"cmp"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// hiddenFromLists reports whether u is hidden from non-admins in user lists.
func hiddenFromLists(u *user) bool {
	switch u.State {
	case model.StateBlocked, model.StateBanned, model.StateLDAPBlocked:
		return true
	}
	return false
}

func sortKey(u *user, field string) string {
	switch field {
	case "name":
		return u.Name
	case "username":
		return u.Username
	case "updated_at":
		return strconv.FormatInt(u.UpdatedAt.UnixNano(), 10)
	}
	return ""
}

// orderUsers sorts users, given in ascending ID order, by field (id when
// created_at, as GitLab does) with an ID tie-breaker in the same
// direction.
func orderUsers(users []*user, field string, desc bool) {
	if field == "created_at" {
		field = "id"
	}
	if field == "id" {
		if desc {
			slices.Reverse(users)
		}
		return
	}
	slices.SortStableFunc(users, func(a, b *user) int {
		r := 0
		if field != "id" {
			r = compareKeys(field, sortKey(a, field), sortKey(b, field))
		}
		if r == 0 {
			r = cmp.Compare(a.ID, b.ID)
		}
		if desc {
			r = -r
		}
		return r
	})
}

func compareKeys(field, a, b string) int {
	if field == "updated_at" {
		x, _ := strconv.ParseInt(a, 10, 64)
		y, _ := strconv.ParseInt(b, 10, 64)
		return cmp.Compare(x, y)
	}
	return strings.Compare(a, b)
}

func hListUsers(c *reqCtx) answer {
	v := c.validate()
	username := v.optStr("username")
	publicEmail := v.optStr("public_email")
	v.allOrNone("extern_uid", "provider")
	search := v.optStr("search")
	active, humans, external, blocked := v.flag("active"), v.flag("humans"), v.flag("external"), v.flag("blocked")
	withoutProjects, withoutBots, admins := v.flag("without_projects"), v.flag("without_project_bots"), v.flag("admins")
	createdAfter, createdBefore := v.optTime("created_after"), v.optTime("created_before")
	twoFactor := v.optStr("two_factor")
	exActive, exExternal, exHumans := v.flag("exclude_active"), v.flag("exclude_external"), v.flag("exclude_humans")
	_ = v.flag("exclude_internal")
	orderBy := v.optValue("order_by", "id", "name", "username", "created_at", "updated_at")
	sortDir := v.optValue("sort", "asc", "desc")
	withCA := v.flag("with_custom_attributes")
	keyset := c.get("pagination") == "keyset"
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	if c.viewer == nil && (username == nil || *username == "") {
		return forbidden("Not authorized to access /api/v4/users")
	}
	admin := c.admin()
	externUID, provider := c.get("extern_uid"), c.get("provider")
	if c.has("extern_uid") && !admin {
		return forbidden("")
	}
	attrs := c.hash("custom_attributes")
	// emailHit holds the users with an email equal to the search term
	// (found once, not once per user).
	var emailHit map[int64]bool
	if search != nil && admin {
		emailHit = map[int64]bool{}
		for _, e := range c.s.st.Emails(0) {
			if strings.EqualFold(e.Email, *search) {
				emailHit[e.UserID] = true
			}
		}
	}
	match := func(u *user) bool {
		if !admin && hiddenFromLists(u) {
			return false
		}
		if username != nil && !strings.EqualFold(u.Username, *username) {
			return false
		}
		if publicEmail != nil && u.PublicEmail != *publicEmail { // UsersFinder#by_public_email: exact
			return false
		}
		if c.has("extern_uid") && !slices.ContainsFunc(u.Identities, func(i UserIdentity) bool {
			return i.Provider == provider && i.ExternUID == externUID
		}) {
			return false
		}
		if search != nil && !matchesSearch(u, *search, emailHit) {
			return false
		}
		if (active && u.State != model.StateActive) || (exActive && u.State == model.StateActive) {
			return false
		}
		if blocked && u.State != model.StateBlocked && u.State != model.StateLDAPBlocked {
			return false
		}
		if (external && !u.External) || (exExternal && u.External) {
			return false
		}
		if (humans && u.Bot) || (exHumans && !u.Bot) || (withoutBots && u.Bot) {
			return false
		}
		if admin {
			if admins && !u.Admin {
				return false
			}
			if createdAfter != nil && u.CreatedAt.Before(*createdAfter) {
				return false
			}
			if createdBefore != nil && u.CreatedAt.After(*createdBefore) {
				return false
			}
			if twoFactor != nil && ((*twoFactor == "enabled" && !u.TwoFactorEnabled) || (*twoFactor == "disabled" && u.TwoFactorEnabled)) {
				return false
			}
			if withoutProjects && slices.ContainsFunc(u.Memberships, func(m UserMembership) bool { return m.SourceType == SourceProject }) {
				return false
			}
			if !matchAttrs(u, attrs) {
				return false
			}
		}
		return true
	}
	// everyone is true when match keeps every user, so that a page is
	// found by its index.
	everyone := admin && username == nil && publicEmail == nil && !c.has("extern_uid") && search == nil && !active && !exActive && !blocked &&
		!external && !exExternal && !humans && !exHumans && !withoutBots && !admins && createdAfter == nil &&
		createdBefore == nil && twoFactor == nil && !withoutProjects && len(attrs) == 0
	lvl := lvlBasic
	if admin {
		lvl = lvlAdmin
	}
	withCA = withCA && admin

	render := func(u *user) any { return c.userJSON(u, lvl, withCA) }
	field, desc := valueOr(orderBy, "id"), valueOr(sortDir, "desc") == "desc"
	byID := field == "id" || field == "created_at"
	ranked := !keyset && search != nil && orderBy == nil && sortDir == nil
	if byID && !ranked && !c.s.scanLists {
		// The common case, at a cost that does not grow with the number
		// of users: the ID order is kept by the store.
		if keyset {
			return c.keysetByID(match, desc, pg.perPage, render)
		}
		return c.offsetByID(match, everyone, desc, pg, render)
	}
	var out []*user
	for _, u := range c.s.st.UsersByID() {
		if match(u) {
			out = append(out, u)
		}
	}
	if keyset {
		return c.keysetUsers(out, field, desc, pg.perPage, render)
	}
	if ranked {
		rankSearch(out, *search)
	} else {
		orderUsers(out, field, desc)
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

func matchAttrs(u *user, attrs map[string]string) bool {
	for k, val := range attrs {
		if got, ok := u.CustomAttributes[k]; !ok || got != val {
			return false
		}
	}
	return true
}

// matchesSearch is User.search: name and username contain the term,
// or an email equals it (private emails only for admins: emailHit holds
// the users having an email equal to the term, nil for others).
func matchesSearch(u *user, term string, emailHit map[int64]bool) bool {
	t := strings.ToLower(term)
	if strings.Contains(strings.ToLower(u.Name), t) || strings.Contains(strings.ToLower(u.Username), t) {
		return true
	}
	if u.PublicEmail != "" && strings.EqualFold(u.PublicEmail, term) {
		return true
	}
	return emailHit[u.ID]
}

// rankSearch orders search results by relevance: exact username, exact
// name, exact email, then the rest by name and ID.
func rankSearch(users []*user, term string) {
	rank := func(u *user) int {
		switch {
		case strings.EqualFold(u.Username, term):
			return 0
		case strings.EqualFold(u.Name, term):
			return 1
		case strings.EqualFold(u.Email, term) || strings.EqualFold(u.PublicEmail, term):
			return 2
		}
		return 3
	}
	slices.SortStableFunc(users, func(a, b *user) int {
		if r := rank(a) - rank(b); r != 0 {
			return r
		}
		if r := strings.Compare(a.Name, b.Name); r != 0 {
			return r
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// keysetUsers answers a keyset-paginated page: no offset headers, and a
// Link rel="next" with a cursor when there is more.
func (c *reqCtx) keysetUsers(users []*user, field string, desc bool, perPage int, render func(*user) any) answer {
	if field == "created_at" {
		field = "id"
	}
	orderUsers(users, field, desc)
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
				r = compareKeys(field, sortKey(u, field), cur.V)
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
		q.Set("cursor", encodeCursor(cursor{V: sortKey(last, field), ID: last.ID}))
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
	return reply(http.StatusOK, c.userJSON(u, lvlUser, false))
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
	since := model.DayOf(c.now.AddDate(0, -6, 0))
	if from != nil {
		since = model.DayOf(*from)
	}
	var out []*user
	for _, u := range c.s.st.UsersByID() {
		if u.LastActivityOn == nil || u.LastActivityOn.Before(since) {
			continue
		}
		if !c.admin() && u.PrivateProfile && u.ID != c.viewer.ID {
			continue
		}
		out = append(out, u)
	}
	slices.SortStableFunc(out, func(a, b *user) int { return a.LastActivityOn.Compare(*b.LastActivityOn) })
	return listAnswer(c, out, pg, false, func(u *user) any {
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
	var ms []UserMembership
	for _, m := range u.Memberships {
		if typ == nil || m.SourceType == *typ {
			ms = append(ms, m)
		}
	}
	return listAnswer(c, ms, pg, false, func(m UserMembership) any {
		return (&obj{}).set("source_id", m.SourceID).set("source_name", m.SourceName).
			set("source_type", m.SourceType).set("access_level", m.AccessLevel)
	})
}

// --- create / update ------------------------------------------------------

var usernameRe = regexp.MustCompile(`^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$`)

// userAttrs are the optional attributes POST and PUT /users share.
type userAttrs struct {
	strs                                     map[string]*string
	admin, canCreateGroup, external, private *bool
	viewDiffs, policyEditor                  *bool
	projectsLimit, themeID, colorSchemeID    *int64
	avatarName                               string
	avatar                                   []byte
	hasAvatar                                bool
}

// userStringAttrs are the declared string attributes. skype is not
// declared any more (18.x), so Grape drops it like any unknown param.
var userStringAttrs = []string{"github", "linkedin", "twitter", "discord", "website_url", "organization", "bio", "location",
	"pronouns", "public_email", "commit_email", "note", "job_title"}

func (c *reqCtx) readUserAttrs(v *validator) *userAttrs {
	a := &userAttrs{strs: map[string]*string{}}
	for _, k := range userStringAttrs {
		if s := v.optStr(k); s != nil {
			a.strs[k] = s
		}
	}
	a.projectsLimit = v.optInt("projects_limit")
	v.allOrNone("extern_uid", "provider")
	a.admin, a.canCreateGroup, a.external = v.optBool("admin"), v.optBool("can_create_group"), v.optBool("external")
	a.themeID, a.colorSchemeID = v.optInt("theme_id"), v.optInt("color_scheme_id")
	a.private = v.optBool("private_profile")
	a.viewDiffs, a.policyEditor = v.optBool("view_diffs_file_by_file"), v.optBool("policy_advanced_editor")
	if fhs := c.files["avatar"]; len(fhs) > 0 {
		f, err := fhs[0].Open()
		if err == nil {
			a.avatar, _ = io.ReadAll(f)
			f.Close()
			a.avatarName, a.hasAvatar = fhs[0].Filename, true
		}
	} else if c.has("avatar") {
		v.errs = append(v.errs, "avatar is invalid")
	}
	return a
}

// modelErrors validates attribute values the way GitLab's User model
// does (a subset of its rules).
func (c *reqCtx) modelErrors(name, username, addr, password *string, a *userAttrs) fieldErrs {
	var fe fieldErrs
	if name != nil && (strings.TrimSpace(*name) == "" || len(*name) > 255) {
		if strings.TrimSpace(*name) == "" {
			fe.add("name", "can't be blank")
		} else {
			fe.add("name", "is too long (maximum is 255 characters)")
		}
	}
	if username != nil && (!usernameRe.MatchString(*username) || strings.HasSuffix(*username, ".") ||
		strings.HasSuffix(*username, ".git") || strings.HasSuffix(*username, ".atom")) {
		fe.add("username", "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-' or end in '.', '.git' or '.atom'.")
	}
	if addr != nil && !validEmail(*addr) {
		fe.add("email", "is invalid")
	}
	if password != nil && len(*password) < 8 {
		fe.add("password", "is too short (minimum is 8 characters)")
	}
	if a.projectsLimit != nil && *a.projectsLimit < 0 {
		fe.add("projects_limit", "must be greater than or equal to 0")
	}
	if b := a.strs["bio"]; b != nil && len(*b) > 255 {
		fe.add("bio", "is too long (maximum is 255 characters)")
	}
	if pe := a.strs["public_email"]; pe != nil && *pe != "" && !validEmail(*pe) {
		fe.add("public_email", "is invalid")
	}
	if a.themeID != nil && (*a.themeID < 1 || *a.themeID > 11) {
		fe.add("theme_id", "is not included in the list")
	}
	if a.colorSchemeID != nil && (*a.colorSchemeID < 1 || *a.colorSchemeID > 6) {
		fe.add("color_scheme_id", "is not included in the list")
	}
	return fe
}

func validEmail(s string) bool { return model.ValidEmail(s) }

func (c *reqCtx) applyUserAttrs(u *user, a *userAttrs) {
	set := func(k string, dst *string) {
		if s := a.strs[k]; s != nil {
			*dst = *s
		}
	}
	set("github", &u.GitHub)
	set("linkedin", &u.Linkedin)
	set("twitter", &u.Twitter)
	set("discord", &u.Discord)
	set("website_url", &u.WebsiteURL)
	set("organization", &u.Organization)
	set("bio", &u.Bio)
	set("location", &u.Location)
	set("pronouns", &u.Pronouns)
	set("public_email", &u.PublicEmail)
	set("commit_email", &u.CommitEmail)
	set("note", &u.Note)
	set("job_title", &u.JobTitle)
	if u.CommitEmail == "_private" {
		u.CommitEmail = ""
	}
	if a.projectsLimit != nil {
		u.ProjectsLimit = int(*a.projectsLimit)
	}
	if a.themeID != nil {
		u.ThemeID = int(*a.themeID)
	}
	if a.colorSchemeID != nil {
		u.ColorSchemeID = int(*a.colorSchemeID)
	}
	if a.admin != nil {
		u.Admin = *a.admin
	}
	if a.canCreateGroup != nil {
		u.CanCreateGroup = *a.canCreateGroup
	}
	if a.external != nil {
		u.External = *a.external
	}
	if a.private != nil {
		u.PrivateProfile = *a.private
	}
	if a.hasAvatar {
		u.AvatarFilename, u.Avatar = a.avatarName, a.avatar
	}
	if a.viewDiffs != nil {
		u.Preferences.ViewDiffsFileByFile = *a.viewDiffs
	}
	if a.policyEditor != nil {
		u.Preferences.PolicyAdvancedEditor = *a.policyEditor
	}
	if c.has("extern_uid") {
		p, x := c.get("provider"), c.get("extern_uid")
		i := slices.IndexFunc(u.Identities, func(id UserIdentity) bool { return id.Provider == p })
		if i >= 0 {
			u.Identities[i].ExternUID = x
		} else {
			u.Identities = append(u.Identities, UserIdentity{Provider: p, ExternUID: x})
		}
	}
}

func hCreateUser(c *reqCtx) answer {
	v := c.validate()
	addr := v.require("email")
	v.atLeastOne("password", "reset_password", "force_random_password")
	password := v.optStr("password")
	resetPw, randomPw := v.flag("reset_password"), v.flag("force_random_password")
	skipConfirmation := v.flag("skip_confirmation")
	name := v.require("name")
	username := v.require("username")
	a := c.readUserAttrs(v)
	if fail := cmp.Or(v.check(), c.requireAdmin()); fail != nil {
		return *fail
	}
	if resetPw || randomPw {
		password = nil
	}
	st := c.s.st
	if taken, _ := st.EmailUse(addr, 0); taken {
		return conflict("Email has already been taken")
	}
	if st.UserByName(username) != nil {
		return conflict("Username has already been taken")
	}
	fe := c.modelErrors(&name, &username, &addr, password, a)
	if _, unconf := st.EmailUse(addr, 0); unconf {
		fe.add("email", "has already been taken")
	}
	if fail := fe.check(); fail != nil {
		return *fail
	}
	u := addUser(st, UserSpec{Username: username, Name: name, Email: addr, Unconfirmed: !skipConfirmation}, c.now)
	u.Password = valueOr(password, model.RandomHex(12))
	u.CreatedBy = c.viewer.ID
	u.LastActivityOn = nil
	c.applyUserAttrs(u, a)
	return reply(http.StatusCreated, c.userJSON(u, lvlAdmin, false))
}

func hUpdateUser(c *reqCtx) answer {
	v := c.validate()
	addr := v.optStr("email")
	password := v.optStr("password")
	skipReconf := v.flag("skip_reconfirmation")
	name := v.optStr("name")
	username := v.optStr("username")
	a := c.readUserAttrs(v)
	u, fail := c.owner(v, adminOnly)
	if fail != nil {
		return *fail
	}
	st := c.s.st
	if addr != nil {
		if taken, _ := st.EmailUse(*addr, u.ID); taken {
			return conflict("Email has already been taken")
		}
	}
	if username != nil {
		if o := st.UserByName(*username); o != nil && o.ID != u.ID {
			return conflict("Username has already been taken")
		}
	}
	fe := c.modelErrors(name, username, addr, password, a)
	if addr != nil {
		if _, unconf := st.EmailUse(*addr, u.ID); unconf {
			fe.add("email", "has already been taken")
		}
	}
	if fail := fe.check(); fail != nil {
		return *fail
	}
	if name != nil {
		u.Name = *name
	}
	if username != nil && *username != u.Username {
		st.Rename(u, *username)
	}
	if addr != nil && !strings.EqualFold(*addr, u.Email) {
		if skipReconf {
			u.Email, u.UnconfirmedEmail = *addr, ""
			if e := st.PrimaryEmail(u); e != nil {
				e.Email, e.ConfirmedAt = *addr, model.PtrTime(c.now)
			}
		} else {
			u.UnconfirmedEmail = *addr
		}
	}
	if password != nil {
		u.Password = *password
		if u.ID != c.viewer.ID {
			u.PasswordExpiresAt = model.PtrTime(c.now)
		}
	}
	c.applyUserAttrs(u, a)
	u.UpdatedAt = c.now
	return reply(http.StatusOK, c.userJSON(u, lvlAdmin, false))
}

func hDeleteUser(c *reqCtx) answer {
	v := c.validate()
	hard := v.flag("hard_delete")
	u, fail := c.owner(v, adminOnly)
	switch {
	case fail != nil:
		return *fail
	case !hard && c.soleGroupOwner(u):
		return conflict("User cannot be removed while is the sole-owner of a group")
	}
	return c.destroy(u.UpdatedAt, func() { c.s.st.DeleteUser(u.ID) })
}

// soleGroupOwner reports whether u owns a group no one else owns.
func (c *reqCtx) soleGroupOwner(u *user) bool {
	for _, m := range u.Memberships {
		if m.SourceType != SourceNamespace || m.AccessLevel != AccessOwner {
			continue
		}
		other := false
		for _, o := range c.s.st.UsersByID() {
			if o.ID != u.ID && slices.ContainsFunc(o.Memberships, func(x UserMembership) bool {
				return x.SourceType == SourceNamespace && x.SourceID == m.SourceID && x.AccessLevel == AccessOwner
			}) {
				other = true
				break
			}
		}
		if !other {
			return true
		}
	}
	return false
}

func hDeleteIdentity(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), adminOnly)
	if fail != nil {
		return *fail
	}
	p := c.vars["provider"]
	i := slices.IndexFunc(u.Identities, func(id UserIdentity) bool { return id.Provider == p })
	if i < 0 {
		return notFound("UserIdentity")
	}
	u.Identities = slices.Delete(u.Identities, i, i+1)
	u.UpdatedAt = c.now
	return noBody(http.StatusNoContent)
}

// --- associations, preferences, avatar, runners, support PIN -------------

// hAssociationsCount is GET /users/:id/associations_count: the user is
// found first (404 for everyone), then only the user or an admin may
// read (403). Groups and projects count the direct memberships.
func hAssociationsCount(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), anyUser)
	switch {
	case fail != nil:
		return *fail
	case c.viewer == nil:
		return unauthorized()
	case !c.admin() && c.viewer.ID != u.ID:
		return forbidden("")
	}
	groups, projects := 0, 0
	for _, m := range u.Memberships {
		if m.SourceType == SourceNamespace {
			groups++
		} else {
			projects++
		}
	}
	return reply(http.StatusOK, (&obj{}).set("groups_count", groups).set("projects_count", projects).
		set("issues_count", u.IssuesAuthored).set("merge_requests_count", u.MergeRequestsAuthored))
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
	vals := make([]*bool, len(preferenceKeys))
	for i, k := range preferenceKeys {
		vals[i] = v.optBool(k)
	}
	if fail := v.check(); fail != nil {
		return *fail
	}
	p := &c.viewer.Preferences
	for i, dst := range []*bool{&p.ViewDiffsFileByFile, &p.ShowWhitespaceInDiffs, &p.PassUserIdentitiesToCIJWT, &p.PolicyAdvancedEditor} {
		if vals[i] != nil {
			*dst = *vals[i]
		}
	}
	return reply(http.StatusOK, preferencesJSON(c.viewer))
}

// maxAvatarSize is Avatarable::MAXIMUM_FILE_SIZE.
const maxAvatarSize = 200 << 10

// hUploadAvatar is PUT /user/avatar: a multipart file "avatar" (400
// "avatar is missing" without one), at most 200 KiB, answered with the
// avatar URL only. The fake serves the bytes at that URL.
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
	b, err := io.ReadAll(io.LimitReader(f, maxAvatarSize+1))
	if err != nil {
		return grapeError("avatar is invalid")
	}
	if len(b) > maxAvatarSize {
		return reply(http.StatusBadRequest, msg("Avatar is too big (should be at most 200 KiB)"))
	}
	c.viewer.AvatarFilename, c.viewer.Avatar = fhs[0].Filename, b
	c.viewer.UpdatedAt = c.now
	return reply(http.StatusOK, (&obj{}).set("avatar_url", c.avatarURL(c.viewer)))
}

// hCreateRunner is POST /user/runners (lib/api/user_runners.rb): the
// fake checks the parameters and who may create which runner type
// (instance: admins; group: the group's owners; project: its
// maintainers and owners, by the seeded memberships), and hands out a
// glrt- token. It keeps no runner.
func hCreateRunner(c *reqCtx) answer {
	v := c.validate()
	typ := v.optValue("runner_type", "instance_type", "group_type", "project_type")
	if !c.has("runner_type") {
		v.errs = append(v.errs, "runner_type is missing", "runner_type does not have a valid value")
	}
	groupID, projectID := v.optInt("group_id"), v.optInt("project_id")
	if typ != nil && *typ == "group_type" && groupID == nil {
		v.errs = append(v.errs, "group_id is missing")
	}
	if typ != nil && *typ == "project_type" && projectID == nil {
		v.errs = append(v.errs, "project_id is missing")
	}
	_, _ = v.optBool("paused"), v.optBool("run_untagged")
	_ = v.optValue("access_level", "not_protected", "ref_protected")
	_ = v.optInt("maximum_timeout")
	if fail := v.check(); fail != nil {
		return *fail
	}
	if c.tok != nil && !c.tok.HasScope("api") && !c.tok.HasScope("create_runner") {
		return insufficientScope("create_runner")
	}
	allowed := false
	switch *typ {
	case "instance_type":
		allowed = c.admin()
	case "group_type", "project_type":
		source, idp, min := SourceNamespace, groupID, AccessOwner
		if *typ == "project_type" {
			source, idp, min = SourceProject, projectID, AccessMaintainer
		}
		id := *idp
		known := false
		for _, u := range c.s.st.UsersByID() {
			for _, m := range u.Memberships {
				if m.SourceType == source && m.SourceID == id {
					known = true
					if u.ID == c.viewer.ID && m.AccessLevel >= min {
						allowed = true
					}
				}
			}
		}
		if !known {
			what := "group"
			if source == SourceProject {
				what = "project"
			}
			return badRequest("Missing/invalid " + what)
		}
		allowed = allowed || c.admin()
	}
	if !allowed {
		return forbidden("Insufficient permissions")
	}
	if tags, _ := c.list("tag_list"); len(tags) == 0 && c.has("run_untagged") && !v.flag("run_untagged") {
		return badRequest("Tags list can not be empty when runner is not allowed to pick untagged jobs")
	}
	return reply(http.StatusCreated, (&obj{}).set("id", c.s.st.NextRunnerID()).set("token", "glrt-"+model.RandomHex(10)).set("token_expires_at", nil))
}

// supportPINTTL is how long a support PIN lasts (Users::SupportPin's
// SUPPORT_PIN_EXPIRATION, counted from creation as a fake should).
const supportPINTTL = 7 * 24 * time.Hour

func supportPINJSON(p *SupportPINSnapshot) *obj {
	return (&obj{}).set("pin", p.PIN).set("expires_at", p.ExpiresAt.UTC().Format(time.RFC3339))
}

// livePIN returns u's support PIN unless there is none or it expired.
func livePIN(u *user, now time.Time) *SupportPINSnapshot {
	if p := u.SupportPIN; p != nil && p.ExpiresAt.After(now) {
		return p
	}
	return nil
}

func hCreateSupportPIN(c *reqCtx) answer {
	n := 100000 + int(binaryUint32()%900000)
	c.viewer.SupportPIN = &SupportPINSnapshot{PIN: strconv.Itoa(n), ExpiresAt: c.now.Add(supportPINTTL)}
	return reply(http.StatusCreated, supportPINJSON(c.viewer.SupportPIN))
}

// getSupportPIN serves GET /user/support_pin (self) and GET
// /users/:id/support_pin (adminOnly).
func getSupportPIN(o owner) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		u, fail := c.owner(c.validate(), o)
		if fail != nil {
			return *fail
		}
		p := livePIN(u, c.now)
		if p == nil {
			return notFound("Support PIN not found or expired")
		}
		return reply(http.StatusOK, supportPINJSON(p))
	}
}

// hRevokeSupportPIN makes the PIN expire now and answers 202.
func hRevokeSupportPIN(c *reqCtx) answer {
	u, fail := c.owner(c.validate(), adminOnly)
	if fail != nil {
		return *fail
	}
	p := livePIN(u, c.now)
	if p == nil {
		return notFound("Support PIN not found or already expired")
	}
	p.ExpiresAt = c.now
	return literal(http.StatusAccepted, "202")
}

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
