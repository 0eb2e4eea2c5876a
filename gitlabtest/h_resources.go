package gitlabtest

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// --- SSH keys (§3.10) ---------------------------------------------------------

func (c *reqCtx) listKeys(u *user) {
	page, ok := paginate(c, c.s.st.userKeys(u.ID), false)
	if !ok {
		return
	}
	res := make([]*obj, 0, len(page))
	for _, k := range page {
		res = append(res, c.sshKeyJSON(k))
	}
	c.json(http.StatusOK, res)
}

func hListOwnKeys(c *reqCtx) { c.listKeys(c.viewer) }

func hListUserKeys(c *reqCtx) {
	u := c.findUser(c.vars["user_id"])
	if u == nil {
		c.notFound("User")
		return
	}
	c.listKeys(u)
}

// ownedKey finds key :key_id of u; it answers 404 Key otherwise.
func (c *reqCtx) ownedKey(u *user) *sshKey {
	id, ok := c.pathID("key_id")
	if !ok {
		return nil
	}
	k := c.s.st.keys[id]
	if k == nil || k.UserID != u.ID {
		c.notFound("Key")
		return nil
	}
	return k
}

func hGetOwnKey(c *reqCtx) {
	if k := c.ownedKey(c.viewer); k != nil {
		c.json(http.StatusOK, c.sshKeyJSON(k))
	}
}

func hGetUserKey(c *reqCtx) {
	u := c.pathUser()
	if u == nil {
		return
	}
	if k := c.ownedKey(u); k != nil {
		c.json(http.StatusOK, c.sshKeyJSON(k))
	}
}

// keyParams validates POST .../keys parameters.
func (c *reqCtx) keyParams() (key, title string, expires *time.Time, usage string, ok bool) {
	v := c.validate()
	key = v.require("key")
	title = v.require("title")
	expires = v.optTime("expires_at")
	u := v.optValue("usage_type", "auth", "signing", "auth_and_signing")
	usage = "auth_and_signing"
	if u != nil {
		usage = *u
	}
	return key, title, expires, usage, v.ok()
}

func (c *reqCtx) createKey(u *user, key, title string, expires *time.Time, usage string) {
	var fe fieldErrs
	fp, valid := sshFingerprint(key)
	if !valid {
		fe.add("key", "is invalid")
		fe.add("fingerprint_sha256", "cannot be generated")
	}
	if strings.TrimSpace(title) == "" {
		fe.add("title", "can't be blank")
	} else if len(title) > 255 {
		fe.add("title", "is too long (maximum is 255 characters)")
	}
	if valid {
		for _, k := range c.s.st.keys {
			if k.Fingerprint == fp {
				fe.add("fingerprint_sha256", "has already been taken")
				break
			}
		}
	}
	if expires != nil && !expires.After(c.now) {
		fe.add("expires_at", "must be in the future")
	}
	if fe.any() {
		c.fieldErrors(fe)
		return
	}
	st := &c.s.st
	st.nextKey++
	k := &sshKey{SSHKeyState{ID: st.nextKey, UserID: u.ID, Title: title, Key: key, Fingerprint: fp, UsageType: usage, CreatedAt: c.now, ExpiresAt: expires}}
	st.keys[k.ID] = k
	c.json(http.StatusCreated, c.sshKeyJSON(k))
}

func hCreateOwnKey(c *reqCtx) {
	key, title, expires, usage, ok := c.keyParams()
	if ok {
		c.createKey(c.viewer, key, title, expires, usage)
	}
}

func hCreateUserKey(c *reqCtx) {
	key, title, expires, usage, ok := c.keyParams()
	if !ok || !c.requireAdmin() {
		return
	}
	if u := c.pathUser(); u != nil {
		c.createKey(u, key, title, expires, usage)
	}
}

func (c *reqCtx) deleteKey(u *user) {
	k := c.ownedKey(u)
	if k == nil || !c.unmodifiedSince(k.CreatedAt) {
		return
	}
	delete(c.s.st.keys, k.ID)
	c.noContent()
}

func hDeleteOwnKey(c *reqCtx) { c.deleteKey(c.viewer) }

func hDeleteUserKey(c *reqCtx) {
	if !c.requireAdmin() {
		return
	}
	if u := c.pathUser(); u != nil {
		c.deleteKey(u)
	}
}

// --- GPG keys (§3.11) ---------------------------------------------------------

func (c *reqCtx) listGPG(u *user) {
	page, ok := paginate(c, c.s.st.userGPGKeys(u.ID), false)
	if !ok {
		return
	}
	res := make([]*obj, 0, len(page))
	for _, k := range page {
		res = append(res, gpgKeyJSON(k))
	}
	c.json(http.StatusOK, res)
}

func (c *reqCtx) ownedGPG(u *user) *gpgKey {
	id, ok := c.pathID("key_id")
	if !ok {
		return nil
	}
	k := c.s.st.gpgKeys[id]
	if k == nil || k.UserID != u.ID {
		c.notFound("GPG Key")
		return nil
	}
	return k
}

func (c *reqCtx) createGPG(u *user, key string) {
	var fe fieldErrs
	if !gpgKeyValid(key) {
		fe.add("key", "does not appear to be a valid PGP public key")
	} else {
		fp := gpgFingerprint(key)
		for _, k := range c.s.st.gpgKeys {
			if gpgFingerprint(k.Key) == fp {
				fe.add("fingerprint", "has already been taken")
				fe.add("primary_keyid", "has already been taken")
				break
			}
		}
	}
	if fe.any() {
		c.fieldErrors(fe)
		return
	}
	st := &c.s.st
	st.nextGPG++
	k := &gpgKey{GPGKeyState{ID: st.nextGPG, UserID: u.ID, Key: key, CreatedAt: c.now}}
	st.gpgKeys[k.ID] = k
	c.json(http.StatusCreated, gpgKeyJSON(k))
}

func hListOwnGPG(c *reqCtx) { c.listGPG(c.viewer) }

func hCreateOwnGPG(c *reqCtx) {
	v := c.validate()
	key := v.require("key")
	if v.ok() {
		c.createGPG(c.viewer, key)
	}
}

func hGetOwnGPG(c *reqCtx) {
	if k := c.ownedGPG(c.viewer); k != nil {
		c.json(http.StatusOK, gpgKeyJSON(k))
	}
}

func (c *reqCtx) removeGPG(u *user, revoke bool) {
	k := c.ownedGPG(u)
	if k == nil {
		return
	}
	if revoke {
		delete(c.s.st.gpgKeys, k.ID)
		c.w.WriteHeader(http.StatusAccepted)
		return
	}
	if !c.unmodifiedSince(k.CreatedAt) {
		return
	}
	delete(c.s.st.gpgKeys, k.ID)
	c.noContent()
}

func hDeleteOwnGPG(c *reqCtx) { c.removeGPG(c.viewer, false) }
func hRevokeOwnGPG(c *reqCtx) { c.removeGPG(c.viewer, true) }

func hListUserGPG(c *reqCtx) {
	if u := c.pathUser(); u != nil {
		c.listGPG(u)
	}
}

func hGetUserGPG(c *reqCtx) {
	u := c.pathUser()
	if u == nil {
		return
	}
	if k := c.ownedGPG(u); k != nil {
		c.json(http.StatusOK, gpgKeyJSON(k))
	}
}

func hCreateUserGPG(c *reqCtx) {
	v := c.validate()
	key := v.require("key")
	if !v.ok() || !c.requireAdmin() {
		return
	}
	if u := c.pathUser(); u != nil {
		c.createGPG(u, key)
	}
}

func hDeleteUserGPG(c *reqCtx) {
	if u := c.adminTarget(); u != nil {
		c.removeGPG(u, false)
	}
}

func hRevokeUserGPG(c *reqCtx) {
	if u := c.adminTarget(); u != nil {
		c.removeGPG(u, true)
	}
}

// --- emails (§3.12) -----------------------------------------------------------

func (c *reqCtx) listEmails(u *user) {
	page, ok := paginate(c, c.s.st.userEmails(u.ID), false)
	if !ok {
		return
	}
	res := make([]*obj, 0, len(page))
	for _, e := range page {
		res = append(res, emailJSON(e))
	}
	c.json(http.StatusOK, res)
}

func (c *reqCtx) ownedEmail(u *user) *email {
	id, ok := c.pathID("email_id")
	if !ok {
		return nil
	}
	e := c.s.st.emails[id]
	if e == nil || e.UserID != u.ID {
		c.notFound("Email")
		return nil
	}
	return e
}

func (c *reqCtx) createEmail(u *user, addr string, confirmed bool) {
	var fe fieldErrs
	if !validEmail(addr) {
		fe.add("email", "is invalid")
	} else if taken, unconf := c.s.st.emailUse(addr, 0); taken || unconf {
		fe.add("email", "has already been taken")
	}
	if fe.any() {
		c.fieldErrors(fe)
		return
	}
	var at *time.Time
	if confirmed {
		at = ptrTime(c.now)
	}
	c.json(http.StatusCreated, emailJSON(c.s.st.addEmail(u.ID, addr, at, c.now)))
}

func (c *reqCtx) deleteEmail(u *user) {
	e := c.ownedEmail(u)
	if e == nil {
		return
	}
	if e.Primary {
		c.badRequest("Cannot delete primary email")
		return
	}
	if !c.unmodifiedSince(e.CreatedAt) {
		return
	}
	delete(c.s.st.emails, e.ID)
	c.noContent()
}

func hListOwnEmails(c *reqCtx) { c.listEmails(c.viewer) }

func hGetOwnEmail(c *reqCtx) {
	if e := c.ownedEmail(c.viewer); e != nil {
		c.json(http.StatusOK, emailJSON(e))
	}
}

func hCreateOwnEmail(c *reqCtx) {
	v := c.validate()
	addr := v.require("email")
	if v.ok() {
		c.createEmail(c.viewer, addr, false)
	}
}

func hDeleteOwnEmail(c *reqCtx) { c.deleteEmail(c.viewer) }

func hListUserEmails(c *reqCtx) {
	if u := c.adminTarget(); u != nil {
		c.listEmails(u)
	}
}

func hCreateUserEmail(c *reqCtx) {
	v := c.validate()
	addr := v.require("email")
	skip := v.flag("skip_confirmation")
	if !v.ok() || !c.requireAdmin() {
		return
	}
	if u := c.pathUser(); u != nil {
		c.createEmail(u, addr, skip)
	}
}

func hDeleteUserEmail(c *reqCtx) {
	if u := c.adminTarget(); u != nil {
		c.deleteEmail(u)
	}
}

// --- status (§3.9) ------------------------------------------------------------

var emojiRe = regexp.MustCompile(`^[a-z0-9_+-]+$`)

var clearAfter = map[string]time.Duration{
	"30_minutes": 30 * time.Minute, "3_hours": 3 * time.Hour, "8_hours": 8 * time.Hour,
	"1_day": 24 * time.Hour, "3_days": 72 * time.Hour, "7_days": 7 * 24 * time.Hour, "30_days": 30 * 24 * time.Hour,
}

func hGetOwnStatus(c *reqCtx) { c.json(http.StatusOK, statusJSON(currentStatus(c.viewer, c.now))) }

func hGetUserStatus(c *reqCtx) {
	u := c.findUser(c.vars["user_id"])
	if u == nil {
		c.notFound("User")
		return
	}
	c.json(http.StatusOK, statusJSON(currentStatus(u, c.now)))
}

// statusParams validates the status parameters; sent reports which
// were sent.
func (c *reqCtx) setStatus(patch bool) {
	v := c.validate()
	emoji, message := v.optStr("emoji"), v.optStr("message")
	avail := v.optValue("availability", "not_set", "busy")
	keys := make([]string, 0, len(clearAfter))
	for k := range clearAfter {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	clear := v.optValue("clear_status_after", keys...)
	if !v.ok() {
		return
	}
	if emoji != nil && *emoji != "" && !emojiRe.MatchString(*emoji) {
		var fe fieldErrs
		fe.add("emoji", "does not exist")
		c.fieldErrors(fe)
		return
	}
	u := c.viewer
	cur := StatusState{Availability: "not_set"}
	if patch {
		if s := currentStatus(u, c.now); s != nil {
			cur = *s
		} else if emoji == nil && message == nil && avail == nil && clear == nil {
			c.json(http.StatusOK, nil)
			return
		}
	}
	if emoji != nil {
		cur.Emoji = *emoji
	}
	if message != nil {
		cur.Message = *message
	}
	if avail != nil {
		cur.Availability = *avail
	}
	if clear != nil {
		cur.ClearStatusAt = ptrTime(c.now.Add(clearAfter[*clear]))
	} else if !patch {
		cur.ClearStatusAt = nil
	}
	if cur.Emoji == "" && cur.Message == "" && (cur.Availability == "" || cur.Availability == "not_set") {
		u.status = nil
		c.json(http.StatusOK, statusJSON(nil))
		return
	}
	if cur.Emoji == "" {
		cur.Emoji = "speech_balloon"
	}
	u.status = &cur
	c.json(http.StatusOK, statusJSON(u.status))
}

func hSetStatus(c *reqCtx)   { c.setStatus(false) }
func hPatchStatus(c *reqCtx) { c.setStatus(true) }

// --- follow (§3.20) -----------------------------------------------------------

// maxFollowees is Users::UserFollowUser::MAX_FOLLOWEE_LIMIT.
const maxFollowees = 300

func hFollow(c *reqCtx) {
	u := c.pathUser()
	if u == nil {
		return
	}
	me := c.viewer
	if u.ID == me.ID || !u.FollowingEnabled || !me.FollowingEnabled || slices.Contains(me.followees, u.ID) {
		c.notModified()
		return
	}
	if len(me.followees) >= maxFollowees {
		c.json(http.StatusBadRequest, msg("You can't follow more than 300 users. To follow more users, unfollow some others."))
		return
	}
	me.followees = append(me.followees, u.ID)
	c.json(http.StatusCreated, c.userJSON(u, lvlBasic, false))
}

func hUnfollow(c *reqCtx) {
	u := c.pathUser()
	if u == nil {
		return
	}
	me := c.viewer
	i := slices.Index(me.followees, u.ID)
	if i < 0 {
		c.notModified()
		return
	}
	me.followees = slices.Delete(me.followees, i, i+1)
	c.json(http.StatusCreated, c.userJSON(u, lvlBasic, false))
}

func (c *reqCtx) followList(following bool) {
	if c.viewer == nil {
		c.forbidden("Not authorized!")
		return
	}
	u := c.pathUser()
	if u == nil {
		return
	}
	if !canReadProfile(c.viewer, u) {
		c.notFound("User")
		return
	}
	var list []*user
	if following {
		for _, id := range u.followees {
			if f := c.s.st.users[id]; f != nil {
				list = append(list, f)
			}
		}
	} else {
		list = c.s.st.followers(u.ID)
	}
	page, ok := paginate(c, list, false)
	if ok {
		c.json(http.StatusOK, c.usersJSON(page, lvlBasic, false))
	}
}

func hFollowers(c *reqCtx) { c.followList(false) }
func hFollowing(c *reqCtx) { c.followList(true) }

// --- impersonation tokens (§3.18) ---------------------------------------------

// availableScopes is Gitlab::Auth.all_available_scopes.
var availableScopes = []string{"api", "read_api", "read_user", "create_runner", "manage_runner", "k8s_proxy", "self_rotate",
	"read_repository", "write_repository", "read_registry", "write_registry", "read_virtual_registry",
	"write_virtual_registry", "read_observability", "write_observability", "ai_features", "sudo", "admin_mode", "read_service_ping"}

func hListTokens(c *reqCtx) {
	if !c.requireAdmin() {
		return
	}
	v := c.validate()
	state := v.optValue("state", "all", "active", "inactive")
	if !v.ok() {
		return
	}
	u := c.pathUser()
	if u == nil {
		return
	}
	var list []*token
	for _, t := range c.s.st.userTokens(u.ID, true) {
		if state == nil || *state == "all" || (*state == "active") == t.active(c.now) {
			list = append(list, t)
		}
	}
	page, ok := paginate(c, list, false)
	if !ok {
		return
	}
	res := make([]*obj, 0, len(page))
	for _, t := range page {
		res = append(res, c.tokenJSON(t, false))
	}
	c.json(http.StatusOK, res)
}

func hCreateToken(c *reqCtx) {
	if !c.requireAdmin() {
		return
	}
	v := c.validate()
	name := v.require("name")
	desc := v.optStr("description")
	expires := v.optDate("expires_at")
	if !v.ok() {
		return
	}
	u := c.pathUser()
	if u == nil {
		return
	}
	scopes, _ := c.list("scopes")
	var fe fieldErrs
	if strings.TrimSpace(name) == "" {
		fe.add("name", "can't be blank")
	}
	if len(scopes) == 0 {
		fe.add("scopes", "can't be blank")
	}
	for _, s := range scopes {
		if !slices.Contains(availableScopes, s) {
			fe.add("scopes", "can only contain available scopes")
			break
		}
	}
	if !u.Admin && (slices.Contains(scopes, "sudo") || slices.Contains(scopes, "admin_mode")) {
		fe.add("scopes", "sudo and admin_mode can only be enabled for administrators")
	}
	limit := dayOf(c.now).AddDate(0, 0, 365)
	switch {
	case expires == nil:
		fe.add("expires_at", "can't be blank")
	case expires.After(limit):
		fe.add("expires_at", "must be before "+limit.Format("2006-01-02"))
	}
	if fe.any() {
		c.fieldErrors(fe)
		return
	}
	t := c.s.st.addToken(u.ID, name, scopes, true, expires, "", c.now)
	if desc != nil {
		t.Description = *desc
	}
	c.json(http.StatusCreated, c.tokenJSON(t, true))
}

func (c *reqCtx) pathToken() *token {
	if !c.requireAdmin() {
		return nil
	}
	u := c.pathUser()
	if u == nil {
		return nil
	}
	id, ok := c.pathID("token_id")
	if !ok {
		return nil
	}
	t := c.s.st.tokens[id]
	if t == nil || t.UserID != u.ID || !t.Impersonation {
		c.notFound("Impersonation Token")
		return nil
	}
	return t
}

func hGetToken(c *reqCtx) {
	if t := c.pathToken(); t != nil {
		c.json(http.StatusOK, c.tokenJSON(t, false))
	}
}

func hRevokeToken(c *reqCtx) {
	t := c.pathToken()
	if t == nil || !c.unmodifiedSince(t.CreatedAt) {
		return
	}
	t.Revoked = true
	c.noContent()
}
