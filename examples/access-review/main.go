// Command access-review writes the report a quarterly access review
// asks for: for every user of a GitLab instance (or of one top-level
// group with -group), one row per access they hold.
//
//	go run ./examples/access-review                       # embedded GitLab, sample data
//	go run ./examples/access-review -format jsonl -days 30 > review.jsonl
//	go run ./examples/access-review -group platform > platform.csv
//
// The rows, as CSV (the default) or JSON lines, each carry the user's
// ID, username, state and last activity, and one access:
//
//   - membership: a group or project the user can reach, with the role
//     and where it comes from: direct, inherited (from a membership of a
//     parent group) or shared (through a group the user is a member of,
//     invited into it, at the lower of the two roles). The expiry is the
//     earliest of the memberships and links it depends on.
//   - personal_access_token, impersonation_token and access_token (a
//     group's or project's, held by its bot user) that are active, with
//     their scopes and expiry.
//   - ssh_key, with its expiry.
//   - identity: an external identity the user signs in with (LDAP, a
//     group's SAML, with its SAML provider) or is provisioned by (SCIM,
//     with its group; "deprovisioned" once the identity provider
//     deactivated it).
//   - audit_event: each audit event of the last -days days that changed
//     the user's access (membership, token, identity or account state).
//
// It needs an administrator's token. It reads the instance's groups and
// projects once (with their links), the direct members of each and the
// audit events of the last -days days, and then streams the users:
// rows are written as each user is read, so memory holds the groups,
// projects, memberships and those audit events, never all the users.
// Per user it sends three requests (tokens, impersonation tokens, SSH
// keys). Progress goes to stderr. On GitLab's Free edition, which has no
// audit events API, the review has no audit_event rows and says so.
//
// With no GITLAB_URL it starts an in-memory GitLab (package gitlabtest)
// with sample users, groups, memberships, tokens and keys.
package main

import (
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

func main() {
	cli.Main("access-review", func(ctx context.Context) error {
		return run(ctx, os.Stdout, os.Stderr, os.Getenv, os.Args[1:], time.Now())
	})
}

// options are the parsed flags.
type options struct {
	group  string
	format string
	days   int
}

func parseFlags(out io.Writer, args []string) (*options, error) {
	fs := cli.NewFlagSet("access-review", out, "Writes one row per access of every user: memberships (direct, inherited, shared), tokens,\nSSH keys, identities and the audit events that changed them. Needs an administrator's token.")
	o := &options{}
	fs.StringVar(&o.group, "group", "", "review only this top-level group (its path): its subgroups, projects and their members")
	fs.StringVar(&o.format, "format", "csv", "output format: csv or jsonl")
	fs.IntVar(&o.days, "days", 90, "list the audit events of this many days back")
	if err := cli.Parse(fs, args); err != nil {
		return nil, err
	}
	switch {
	case o.format != "csv" && o.format != "jsonl":
		return nil, cli.Usagef("-format must be csv or jsonl, not %q", o.format)
	case o.days < 0:
		return nil, cli.Usagef("-days must not be negative, not %d", o.days)
	case strings.Contains(o.group, "/"):
		return nil, cli.Usagef("-group must be a top-level group, not %q", o.group)
	}
	return o, nil
}

// row is one access of one user.
type row struct {
	UserID       int64  `json:"user_id"`
	Username     string `json:"username"`
	State        string `json:"state"`
	LastActivity string `json:"last_activity_on"`
	Access       string `json:"access"`
	Target       string `json:"target"`
	Level        string `json:"level,omitempty"`
	Via          string `json:"via,omitempty"`
	Scopes       string `json:"scopes,omitempty"`
	ExpiresAt    string `json:"expires_at,omitempty"`
	Detail       string `json:"detail,omitempty"`
}

var header = []string{"user_id", "username", "state", "last_activity_on", "access", "target", "level", "via", "scopes", "expires_at", "detail"}

func (r *row) csv() []string {
	return []string{strconv.FormatInt(r.UserID, 10), r.Username, r.State, r.LastActivity, r.Access, r.Target,
		r.Level, r.Via, r.Scopes, r.ExpiresAt, r.Detail}
}

// run is the whole program, with its environment and the current time
// passed in so that a test can drive it.
func run(ctx context.Context, out, progress io.Writer, getenv func(string) string, args []string, now time.Time) error {
	o, err := parseFlags(out, args)
	if err != nil {
		return err
	}
	// The requests sent are counted for the last line of progress.
	counter := &counting{next: http.DefaultTransport}
	hc := gitlab.WithHTTPClient(&http.Client{Transport: counter})
	var client *gitlab.Client
	if getenv("GITLAB_URL") == "" {
		srv := gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return now }))
		defer srv.Close()
		client = srv.Client(hc)
		if err := seed(ctx, srv, client, now); err != nil {
			return fmt.Errorf("seeding the embedded GitLab: %w", err)
		}
		fmt.Fprintf(progress, "Using an embedded in-memory GitLab at %s with sample data (set GITLAB_URL and GITLAB_TOKEN to use a real one).\n", srv.URL)
	} else if client, err = cli.NewClient(getenv, hc); err != nil {
		return err
	}
	if _, err := cli.Admin(ctx, client, "GitLab shows other users' tokens, keys and memberships to administrators only"); err != nil {
		return err
	}

	t, err := loadTree(ctx, client, o.group)
	if err != nil {
		return err
	}
	fmt.Fprintf(progress, "%s, %s, %s read\n", cli.Count(len(t.groups), "group"), cli.Count(len(t.projects), "project"), cli.Count(t.count, "direct membership"))

	events, err := loadAudit(ctx, client, now.AddDate(0, 0, -o.days), progress)
	if err != nil {
		return err
	}

	w := newWriter(out, o.format)
	n := 0
	err = t.users(ctx, client, func(u *gitlab.User) error {
		n++
		if n%1000 == 0 {
			fmt.Fprintf(progress, "%d users reviewed\n", n)
		}
		rows, err := review(ctx, client, t, events, u)
		if err != nil {
			return fmt.Errorf("user @%s: %w", u.Username, err)
		}
		return w.write(rows)
	})
	if err != nil {
		return err
	}
	if err := w.flush(); err != nil {
		return err
	}
	fmt.Fprintf(progress, "%s reviewed, %s written, %s sent\n", cli.Count(n, "user"), cli.Count(w.n, "row"), cli.Count(int(counter.n.Load()), "request"))
	return nil
}

// counting is a transport that counts the requests it sends.
type counting struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// writer writes rows as CSV or JSON lines.
type writer struct {
	csv *csv.Writer
	enc *json.Encoder
	n   int
}

func newWriter(out io.Writer, format string) *writer {
	if format == "jsonl" {
		return &writer{enc: json.NewEncoder(out)}
	}
	w := &writer{csv: csv.NewWriter(out)}
	w.csv.Write(header) //nolint:errcheck // reported by flush
	return w
}

func (w *writer) write(rows []row) error {
	for i := range rows {
		w.n++
		if w.enc != nil {
			if err := w.enc.Encode(&rows[i]); err != nil {
				return err
			}
			continue
		}
		if err := w.csv.Write(rows[i].csv()); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) flush() error {
	if w.csv == nil {
		return nil
	}
	w.csv.Flush()
	return w.csv.Error()
}

// --- the groups, projects and direct memberships ------------------------

// share is a link that invites the members of group With into a group
// or project, at most at Level.
type share struct {
	With      int64           `json:"group_id"`
	Level     int             `json:"group_access_level"`
	ExpiresAt *gitlab.ISODate `json:"expires_at"`
}

// group and project are what the review needs of GitLab's entities.
type group struct {
	ID       int64   `json:"id"`
	ParentID int64   `json:"parent_id"`
	FullPath string  `json:"full_path"`
	Shares   []share `json:"shared_with_groups"`
}

type project struct {
	ID                int64   `json:"id"`
	PathWithNamespace string  `json:"path_with_namespace"`
	Shares            []share `json:"shared_with_groups"`
	Namespace         struct {
		ID   int64  `json:"id"`
		Kind string `json:"kind"`
	} `json:"namespace"`
}

// direct is one direct membership.
type direct struct {
	source    gitlab.Source
	level     gitlab.AccessLevel
	expiresAt *gitlab.ISODate
}

// tree holds the groups and projects under review and every direct
// membership of them, by user.
type tree struct {
	groups   map[int64]*group
	projects []*project
	direct   map[int64][]direct // by user ID
	count    int                // direct memberships read
	// scoped is set by -group: only the members of these groups and
	// projects are reviewed.
	scoped bool
	// outside names the groups outside -group invited into it, whose
	// members were read too.
	outside map[int64]string
}

// loadTree reads the groups and projects (all of them, or one top-level
// group's), each group's links, and the direct members of each.
func loadTree(ctx context.Context, client *gitlab.Client, top string) (*tree, error) {
	t := &tree{groups: map[int64]*group{}, direct: map[int64][]direct{}, scoped: top != ""}
	var list []*group
	if err := getAll(ctx, client, "groups", true, &list); err != nil {
		return nil, fmt.Errorf("listing groups: %w", err)
	}
	for _, g := range list {
		t.groups[g.ID] = g
	}
	if top != "" {
		root := slices.IndexFunc(list, func(g *group) bool { return g.ParentID == 0 && strings.EqualFold(g.FullPath, top) })
		if root < 0 {
			return nil, fmt.Errorf("no top-level group %q", top)
		}
		for id, g := range t.groups {
			if t.root(g).ID != list[root].ID {
				delete(t.groups, id)
			}
		}
	}
	// Only a group's own page has its links (shared_with_groups).
	for _, g := range t.groups {
		var detail group
		if _, err := do(ctx, client, "groups/"+strconv.FormatInt(g.ID, 10), nil, &detail); err != nil {
			return nil, fmt.Errorf("group %s: %w", g.FullPath, err)
		}
		g.Shares = detail.Shares
	}
	var projects []*project
	if err := getAll(ctx, client, "projects", false, &projects); err != nil {
		return nil, fmt.Errorf("listing projects: %w", err)
	}
	for _, p := range projects {
		if p.Namespace.Kind == "group" && t.groups[p.Namespace.ID] != nil || top == "" {
			t.projects = append(t.projects, p)
		}
	}
	for _, g := range t.groups {
		if err := t.readMembers(ctx, client, gitlab.GroupID(g.ID)); err != nil {
			return nil, fmt.Errorf("members of %s: %w", g.FullPath, err)
		}
	}
	// With -group, a group outside it that is invited into it gives its
	// members access: they are reviewed too, for what they reach inside.
	t.outside = map[int64]string{}
	for _, shares := range t.allShares() {
		for _, sh := range shares {
			if t.groups[sh.With] != nil || t.outside[sh.With] != "" {
				continue
			}
			t.outside[sh.With] = "group " + strconv.FormatInt(sh.With, 10)
			if g := slices.IndexFunc(list, func(g *group) bool { return g.ID == sh.With }); g >= 0 {
				t.outside[sh.With] = list[g].FullPath
			}
			if err := t.readMembers(ctx, client, gitlab.GroupID(sh.With)); err != nil {
				return nil, fmt.Errorf("members of %s: %w", t.outside[sh.With], err)
			}
		}
	}
	for _, p := range t.projects {
		if err := t.readMembers(ctx, client, gitlab.ProjectID(p.ID)); err != nil {
			return nil, fmt.Errorf("members of %s: %w", p.PathWithNamespace, err)
		}
	}
	return t, nil
}

func (t *tree) readMembers(ctx context.Context, client *gitlab.Client, src gitlab.Source) error {
	for m, err := range client.Members.ListIter(ctx, src, &gitlab.ListMembersOptions{ListOptions: gitlab.ListOptions{PerPage: 100}}) {
		if err != nil {
			return err
		}
		t.direct[m.ID] = append(t.direct[m.ID], direct{source: src, level: m.AccessLevel, expiresAt: m.ExpiresAt})
		t.count++
	}
	return nil
}

// root returns g's top-level group.
func (t *tree) root(g *group) *group {
	for i := 0; g.ParentID != 0 && t.groups[g.ParentID] != nil && i < 100; i++ {
		g = t.groups[g.ParentID]
	}
	return g
}

// users calls f for every user under review: every user of the
// instance, or with -group the direct members of its groups and
// projects, in ID order.
func (t *tree) users(ctx context.Context, client *gitlab.Client, f func(*gitlab.User) error) error {
	if t.scoped {
		ids := make([]int64, 0, len(t.direct))
		for id := range t.direct {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			u, _, err := client.Users.Get(ctx, id, nil)
			if err != nil {
				return fmt.Errorf("user %d: %w", id, err)
			}
			if err := f(u); err != nil {
				return err
			}
		}
		return nil
	}
	opt := &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 100}, Pagination: gitlab.Ptr(gitlab.PaginationKeyset),
		OrderBy: gitlab.Ptr(gitlab.UserOrderByID), Sort: gitlab.Ptr(gitlab.SortOrderAsc)}
	for u, err := range client.Users.ListIter(ctx, opt) {
		if err != nil {
			return fmt.Errorf("listing users: %w", err)
		}
		if err := f(u); err != nil {
			return err
		}
	}
	return nil
}

// --- one user's access ---------------------------------------------------

// access is the user's way into one group or project.
type access struct {
	level     gitlab.AccessLevel
	via       string
	expiresAt *gitlab.ISODate
}

// better reports whether a beats b: the higher role, then the one that
// lasts longer.
func (a access) better(b access) bool {
	if a.level != b.level {
		return a.level > b.level
	}
	return b.expiresAt != nil && (a.expiresAt == nil || a.expiresAt.Time().After(b.expiresAt.Time()))
}

// earliest returns the earlier of two expiry days (nil: never).
func earliest(a, b *gitlab.ISODate) *gitlab.ISODate {
	if a == nil || b != nil && b.Time().Before(a.Time()) {
		return b
	}
	return a
}

// memberships computes a user's access to every group and project under
// review, as GitLab does: a group membership reaches the group's
// subgroups and projects (inherited); a link shares a group or project
// with the direct members of another group, at the lower of the two
// roles (shared); the highest role wins.
func (t *tree) memberships(userID int64) map[string]access {
	out := map[string]access{}
	offer := func(target string, a access) {
		if cur, ok := out[target]; !ok || a.better(cur) {
			out[target] = a
		}
	}
	// inGroup is the user's access to group id from its memberships of
	// id and its ancestors.
	inGroup := map[int64]access{}
	for _, d := range t.direct[userID] {
		if g, ok := d.source.(gitlab.GroupID); ok {
			if cur, seen := inGroup[int64(g)]; !seen || (access{d.level, "", d.expiresAt}).better(cur) {
				inGroup[int64(g)] = access{d.level, "direct", d.expiresAt}
			}
		}
	}
	groupAccess := func(id int64) (access, bool) {
		best, found := access{}, false
		for g, depth := t.groups[id], 0; g != nil && depth < 100; g, depth = t.groups[g.ParentID], depth+1 {
			if a, ok := inGroup[g.ID]; ok && (!found || a.better(best)) {
				best, found = a, true
				if g.ID != id {
					best.via = "inherited from " + g.FullPath
				}
			}
		}
		return best, found
	}
	sharedAccess := func(shares []share) (access, bool) {
		best, found := access{}, false
		for _, s := range shares {
			// Only the invited group's own members count: not those of its
			// parents (GroupMembersFinder's shared_from_groups).
			a, ok := inGroup[s.With]
			if !ok {
				continue
			}
			a = access{min(a.level, gitlab.AccessLevel(s.Level)), "shared through " + t.pathOf(s.With), earliest(a.expiresAt, s.ExpiresAt)}
			if !found || a.better(best) {
				best, found = a, true
			}
		}
		return best, found
	}
	for _, g := range t.groups {
		if a, ok := groupAccess(g.ID); ok {
			offer(g.FullPath, a)
		}
		for h, depth := g, 0; h != nil && depth < 100; h, depth = t.groups[h.ParentID], depth+1 {
			if a, ok := sharedAccess(h.Shares); ok {
				if h != g {
					a.via += " (into " + h.FullPath + ")"
				}
				offer(g.FullPath, a)
			}
		}
	}
	for _, p := range t.projects {
		if p.Namespace.Kind == "group" {
			if a, ok := groupAccess(p.Namespace.ID); ok {
				a.via = cmp.Or(strings.TrimPrefix(a.via, "direct"), "inherited from "+t.pathOf(p.Namespace.ID))
				offer(p.PathWithNamespace, a)
			}
			if a, ok := t.groupShareInto(p.Namespace.ID, sharedAccess); ok {
				offer(p.PathWithNamespace, a)
			}
		}
		if a, ok := sharedAccess(p.Shares); ok {
			offer(p.PathWithNamespace, a)
		}
	}
	for _, d := range t.direct[userID] {
		if pid, ok := d.source.(gitlab.ProjectID); ok {
			if p := t.project(int64(pid)); p != nil {
				offer(p.PathWithNamespace, access{d.level, "direct", d.expiresAt})
			}
		}
	}
	return out
}

// groupShareInto is the access a project gets from links into its group
// or the group's ancestors.
func (t *tree) groupShareInto(id int64, sharedAccess func([]share) (access, bool)) (access, bool) {
	best, found := access{}, false
	for g, depth := t.groups[id], 0; g != nil && depth < 100; g, depth = t.groups[g.ParentID], depth+1 {
		if a, ok := sharedAccess(g.Shares); ok && (!found || a.better(best)) {
			a.via += " (into " + g.FullPath + ")"
			best, found = a, true
		}
	}
	return best, found
}

func (t *tree) pathOf(groupID int64) string {
	if g := t.groups[groupID]; g != nil {
		return g.FullPath
	}
	return cmp.Or(t.outside[groupID], "group "+strconv.FormatInt(groupID, 10))
}

// allShares returns the links of every group and project under review.
func (t *tree) allShares() [][]share {
	var out [][]share
	for _, g := range t.groups {
		out = append(out, g.Shares)
	}
	for _, p := range t.projects {
		out = append(out, p.Shares)
	}
	return out
}

func (t *tree) project(id int64) *project {
	for _, p := range t.projects {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// review returns the rows of one user.
func review(ctx context.Context, client *gitlab.Client, t *tree, events map[int64][]*gitlab.AuditEvent, u *gitlab.User) ([]row, error) {
	base := row{UserID: u.ID, Username: u.Username, State: string(u.State)}
	if u.LastActivityOn != nil {
		base.LastActivity = u.LastActivityOn.String()
	}
	var rows []row
	add := func(r row) {
		r.UserID, r.Username, r.State, r.LastActivity = base.UserID, base.Username, base.State, base.LastActivity
		rows = append(rows, r)
	}

	ms := t.memberships(u.ID)
	for _, target := range slices.Sorted(mapsKeys(ms)) {
		a := ms[target]
		add(row{Access: "membership", Target: target, Level: a.level.String(), Via: a.via, ExpiresAt: day(a.expiresAt)})
	}

	// GitLab lists impersonation tokens among the personal access
	// tokens too: read them first, to tell them apart.
	impersonation := map[int64]bool{}
	for tok, err := range client.ImpersonationTokens.ListIter(ctx, u.ID, &gitlab.ListImpersonationTokensOptions{
		State: gitlab.Ptr(gitlab.TokenStateActive)}) {
		if err != nil {
			return nil, fmt.Errorf("impersonation tokens: %w", err)
		}
		impersonation[tok.ID] = true
		add(row{Access: "impersonation_token", Target: tok.Name, Scopes: strings.Join(tok.Scopes, " "), ExpiresAt: day(tok.ExpiresAt),
			Detail: "token " + strconv.FormatInt(tok.ID, 10) + lastUsed(tok.LastUsedAt)})
	}
	kind := "personal_access_token"
	if u.Bot && len(ms) > 0 {
		kind = "access_token" // a group's or project's bot user
	}
	opt := &gitlab.ListPersonalAccessTokensOptions{ListOptions: gitlab.ListOptions{PerPage: 100}, UserID: gitlab.Ptr(u.ID),
		State: gitlab.Ptr(gitlab.TokenStateActive)}
	for tok, err := range client.PersonalAccessTokens.ListIter(ctx, opt) {
		if err != nil {
			return nil, fmt.Errorf("tokens: %w", err)
		}
		if impersonation[tok.ID] {
			continue
		}
		add(row{Access: kind, Target: tok.Name, Scopes: strings.Join(tok.Scopes, " "), ExpiresAt: day(tok.ExpiresAt),
			Detail: "token " + strconv.FormatInt(tok.ID, 10) + lastUsed(tok.LastUsedAt)})
	}
	for k, err := range client.SSHKeys.ListForUserIter(ctx, gitlab.UserID(u.ID), &gitlab.ListOptions{PerPage: 100}) {
		if err != nil {
			return nil, fmt.Errorf("SSH keys: %w", err)
		}
		r := row{Access: "ssh_key", Target: k.Title, Detail: string(k.UsageType) + lastUsed(k.LastUsedAt)}
		if k.ExpiresAt != nil {
			r.ExpiresAt = k.ExpiresAt.UTC().Format(time.DateOnly)
		}
		add(r)
	}
	for _, id := range u.Identities {
		r := row{Access: "identity", Target: id.Provider, Detail: "extern_uid " + id.ExternUID}
		if id.SAMLProviderID != 0 {
			r.Detail += ", SAML provider " + strconv.FormatInt(id.SAMLProviderID, 10)
		}
		add(r)
	}
	for _, id := range u.SCIMIdentities {
		r := row{Access: "identity", Target: "scim", Detail: "extern_uid " + id.ExternUID}
		if id.GroupID != nil {
			r.Target = "scim " + t.pathOf(*id.GroupID)
		}
		if !id.Active {
			r.Detail += ", deprovisioned"
		}
		add(r)
	}
	for _, e := range events[u.ID] {
		add(auditRow(e))
	}
	return rows, nil
}

// loadAudit reads the instance's audit events since since, and returns
// them by the user each concerns: the user an event is scoped to (a
// user's account or tokens) or targets (a membership). GitLab's Free
// edition has no audit events API (404): the review then has none, and
// says so on progress.
func loadAudit(ctx context.Context, client *gitlab.Client, since time.Time, progress io.Writer) (map[int64][]*gitlab.AuditEvent, error) {
	out := map[int64][]*gitlab.AuditEvent{}
	opt := &gitlab.ListAuditEventsOptions{ListOptions: gitlab.ListOptions{PerPage: 100}, CreatedAfter: &since,
		Pagination: gitlab.Ptr(gitlab.PaginationKeyset)}
	n := 0
	for e, err := range client.AuditEvents.ListIter(ctx, opt) {
		if errors.Is(err, gitlab.ErrNotFound) {
			fmt.Fprintln(progress, "no audit events: this GitLab has no audit events API (a Free edition?)")
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("audit events: %w", err)
		}
		n++
		var users []int64
		if e.EntityType == gitlab.AuditEventEntityUser {
			users = append(users, e.EntityID)
		}
		if id, ok := e.Details["target_id"].(float64); ok && e.Details["target_type"] == "User" && !slices.Contains(users, int64(id)) {
			users = append(users, int64(id))
		}
		for _, id := range users {
			out[id] = append(out[id], e)
		}
	}
	fmt.Fprintf(progress, "%s since %s read\n", cli.Count(n, "audit event"), since.UTC().Format(time.DateOnly))
	return out, nil
}

// auditRow is an audit event as a row: its name, when, by whom, on what.
func auditRow(e *gitlab.AuditEvent) row {
	name := "(unnamed)"
	if e.EventName != nil {
		name = *e.EventName
	}
	detail := ""
	if e.CreatedAt != nil {
		detail = e.CreatedAt.UTC().Format(time.RFC3339)
	}
	if a, ok := e.Details["author_name"].(string); ok {
		detail += " by " + a
	}
	detail += " on " + strings.ToLower(string(e.EntityType))
	if p, ok := e.Details["entity_path"].(string); ok && p != "" {
		detail += " " + p
	}
	if m, ok := e.Details["custom_message"].(string); ok && m != "" {
		detail += ": " + m
	}
	return row{Access: "audit_event", Target: name, Detail: detail}
}

func lastUsed(t *time.Time) string {
	if t == nil {
		return ", never used"
	}
	return ", last used " + t.UTC().Format(time.DateOnly)
}

func day(d *gitlab.ISODate) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// --- endpoints the SDK does not wrap --------------------------------------

// do GETs path, with the query q (nil or a struct of url tags), into v
// through the client: its credentials, retries and errors.
func do(ctx context.Context, client *gitlab.Client, path string, q any, v any) (*gitlab.Response, error) {
	req, err := client.NewRequest(ctx, http.MethodGet, path, q)
	if err != nil {
		return nil, err
	}
	return client.Do(req, v)
}

// pageQuery is the query of one page of GET /groups or GET /projects.
type pageQuery struct {
	AllAvailable bool `url:"all_available,omitempty"`
	PerPage      int  `url:"per_page"`
	Page         int  `url:"page"`
}

// getAll GETs every page of a list; allAvailable asks for every group,
// not only the caller's.
func getAll[T any](ctx context.Context, client *gitlab.Client, path string, allAvailable bool, out *[]T) error {
	q := &pageQuery{AllAvailable: allAvailable, PerPage: 100, Page: 1}
	for {
		var items []T
		resp, err := do(ctx, client, path, q, &items)
		if err != nil {
			return err
		}
		*out = append(*out, items...)
		if resp.NextPage <= q.Page {
			return nil
		}
		q.Page = resp.NextPage
	}
}

// seed fills the embedded GitLab with what a review must show: a group
// hierarchy with inherited, shared, expiring and expired memberships,
// tokens of every kind, an SSH key and an LDAP identity.
func seed(ctx context.Context, srv *gitlabtest.Server, client *gitlab.Client, now time.Time) error {
	day := 24 * time.Hour
	alice, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "alice", Name: "Alice Owner", LastActivityOn: now.Add(-day)})
	bob, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "bob", Name: "Bob Developer", LastActivityOn: now.Add(-3 * day)})
	carol, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "carol", Name: "Carol Auditor",
		Identities: []gitlabtest.UserIdentity{{Provider: "ldapmain", ExternUID: "uid=carol,ou=people,dc=example,dc=com"}}})
	dave, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "dave", Name: "Dave Contractor", LastActivityOn: now.Add(-40 * day)})

	platform := srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform", Owners: []int64{alice}})
	infra := srv.CreateGroup(gitlabtest.GroupSpec{Path: "infra", ParentID: platform})
	security := srv.CreateGroup(gitlabtest.GroupSpec{Path: "security"})
	app := srv.CreateProject(gitlabtest.ProjectSpec{Path: "app", GroupID: infra})
	srv.CreateProject(gitlabtest.ProjectSpec{Path: "scanner", GroupID: security})

	srv.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(infra), UserID: bob, AccessLevel: gitlabtest.AccessDeveloper})
	srv.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(security), UserID: carol, AccessLevel: gitlabtest.AccessMaintainer})
	// security's members may read platform/infra: Reporter at most.
	srv.ShareGroup(infra, security, gitlabtest.AccessReporter, nil)
	soon, past := now.Add(10*day), now.Add(-day)
	srv.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.ProjectSource(app), UserID: dave, AccessLevel: gitlabtest.AccessDeveloper, ExpiresAt: &soon})
	srv.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(security), UserID: dave, AccessLevel: gitlabtest.AccessGuest, ExpiresAt: &past})

	srv.CreateToken(alice, gitlabtest.TokenSpec{Name: "laptop", Scopes: []string{"api"}, ExpiresAt: now.Add(60 * day), LastUsedAt: now.Add(-day)})
	srv.CreateToken(bob, gitlabtest.TokenSpec{Name: "support", Scopes: []string{"read_api"}, Impersonation: true, ExpiresAt: now.Add(5 * day)})
	srv.AddAccessToken(gitlabtest.ProjectSource(app), gitlabtest.AccessTokenSpec{Name: "deploy", Scopes: []string{"read_repository"},
		AccessLevel: gitlabtest.AccessReporter, ExpiresAt: now.Add(30 * day)})
	srv.AddAccessToken(gitlabtest.GroupSource(platform), gitlabtest.AccessTokenSpec{Name: "renovate", Scopes: []string{"api"},
		AccessLevel: gitlabtest.AccessMaintainer, ExpiresAt: now.Add(20 * day)})
	srv.AddSSHKey(bob, "bob@laptop", gitlabtest.FakeSSHKey("bob"))

	// security signs in with SAML, and its identity provider provisions
	// dave through SCIM.
	srv.AddSAMLIdentity(security, carol, "carol@idp.example")
	srv.AddSCIMIdentity(security, dave, "dave@idp.example", true)

	// What the administrator does through the API, the audit log keeps:
	// bob joins security, then gets a higher role; an older event falls
	// outside -days 90.
	if _, _, err := client.Members.Add(ctx, gitlab.GroupID(security), &gitlab.AddMemberOptions{
		UserID: gitlab.Ptr(bob), AccessLevel: gitlab.Ptr(gitlab.AccessLevelReporter)}); err != nil {
		return err
	}
	if _, _, err := client.Members.Update(ctx, gitlab.GroupID(security), bob, &gitlab.UpdateMemberOptions{
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)}); err != nil {
		return err
	}
	srv.AddAuditEvent(gitlabtest.AuditEventSnapshot{AuditEventSpec: gitlabtest.AuditEventSpec{Name: "user_blocked",
		EntityType: gitlabtest.AuditEntityUser, EntityID: dave, TargetID: dave, TargetType: "User", Message: "Blocked user"},
		CreatedAt: now.Add(-120 * day)})
	return nil
}
