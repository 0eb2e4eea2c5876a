// Command onboard puts people into groups and projects at the levels a
// team file gives, and keeps them there: it reads the file, reads what
// GitLab holds, prints the plan (users to create, members to add, levels
// and expiry dates to change, and with -prune members to remove), and
// with -apply carries it out.
//
//	go run ./examples/onboard                   # embedded GitLab and the sample team.json, dry run
//	go run ./examples/onboard -apply            # ... and for real
//	GITLAB_URL=https://gitlab.example.com GITLAB_TOKEN=glpat-... go run ./examples/onboard -file team.json
//
// The team file is JSON (YAML would need a module that every user of the
// SDK would then download): a list of users, each with the groups and
// projects they belong to, by full path, with a level (guest, planner,
// reporter, developer, maintainer or owner) and an optional last day,
// expires_at (YYYY-MM-DD):
//
//	{"users": [
//	  {"username": "alice", "groups": [{"path": "platform/infra", "level": "maintainer"}]},
//	  {"username": "carol", "email": "carol@example.com", "name": "Carol Danvers",
//	   "projects": [{"path": "platform/api", "level": "developer", "expires_at": "2099-12-31"}]}
//	]}
//
// What the file means:
//   - A user must exist, unless the file gives their email and name: then
//     onboard creates them (an administrator's token is needed for that,
//     and GitLab mails them a link to set their password).
//   - Groups and projects must exist; onboard does not create them.
//   - Each listed membership is made direct, at exactly that level and
//     expiry; no expires_at means the membership does not expire (an
//     expiry GitLab holds is cleared).
//   - Direct members of a listed group or project whom the file does not
//     list there are shown and kept; -prune removes them (from that group
//     or project only, not from its subgroups and projects). The user the
//     token belongs to is never pruned. Groups and projects the file does
//     not name are not read or touched.
//
// It is safe to run again, and a run broken halfway (a lost connection,
// a refusal) is finished by the next: every run first reads the direct
// members of each group and project in the file and plans only what
// differs, so what was done is not done again. A run with nothing to do
// sends no write.
//
// With no GITLAB_URL it starts an in-memory GitLab (package gitlabtest)
// seeded with the users and groups of the sample team.json, which it
// reads when -file is not given.
package main

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// sampleTeam is the team file the embedded GitLab is seeded for.
//
//go:embed team.json
var sampleTeam []byte

func main() {
	cli.Main("onboard", func(ctx context.Context) error {
		return run(ctx, os.Stdout, os.Getenv, os.Args[1:])
	})
}

// run is the whole program, with its environment passed in so that a
// test can drive it.
func run(ctx context.Context, out io.Writer, getenv func(string) string, args []string) error {
	fs := cli.NewFlagSet("onboard", out, "Puts the users of a team file into its groups and projects at its levels (creating\nusers the file gives an email and name for). A dry run unless -apply is given.")
	file := fs.String("file", "", "the team file (JSON); without GITLAB_URL the sample team.json when not given")
	apply := fs.Bool("apply", false, "make the changes (default: only print the plan)")
	prune := fs.Bool("prune", false, "also remove direct members of the file's groups and projects whom the file does not list there")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}

	var client *gitlab.Client
	data, name := sampleTeam, "team.json"
	if getenv("GITLAB_URL") == "" {
		srv := gitlabtest.NewServer()
		defer srv.Close()
		seed(srv)
		client = srv.Client()
		fmt.Fprintf(out, "Using an embedded in-memory GitLab at %s, seeded for the sample team.json (set GITLAB_URL and GITLAB_TOKEN to use a real one).\n", srv.URL)
	} else {
		if *file == "" {
			return cli.Usagef("-file is required: the team file (JSON)")
		}
		var err error
		client, err = cli.NewClient(getenv)
		if err != nil {
			return err
		}
	}
	if *file != "" {
		var err error
		if data, err = os.ReadFile(*file); err != nil {
			return err
		}
		name = *file
	}
	t, err := parseTeam(data, time.Now())
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}

	me, _, err := client.Users.Current(ctx)
	if err != nil {
		return fmt.Errorf("current user: %w", err)
	}
	p, err := makePlan(ctx, client, t, me, *prune)
	if err != nil {
		return err
	}
	if len(p.creates) > 0 && !me.IsAdmin {
		return fmt.Errorf("@%s is not an administrator: creating users (%s) needs an administrator's token", me.Username, strings.Join(p.creates, ", "))
	}

	groups := len(slices.DeleteFunc(slices.Clone(t.sources), func(s source) bool { return !s.group }))
	what := fmt.Sprintf("%s (%s, %s, %s)", name, cli.Count(len(t.users), "user"), cli.Count(groups, "group"), cli.Count(len(t.sources)-groups, "project"))
	if *apply {
		fmt.Fprintf(out, "Onboarding from %s:\n", what)
	} else {
		fmt.Fprintf(out, "Dry run of %s; pass -apply to make these changes:\n", what)
	}
	done, errs := p.run(ctx, out, *apply)
	switch {
	case p.changes == 0:
		fmt.Fprintf(out, "Nothing to do: GitLab matches %s.\n", name)
	case !*apply:
		fmt.Fprintf(out, "Would change %s.\n", cli.Count(p.changes, "thing"))
	case len(errs) > 0:
		fmt.Fprintf(out, "Changed %d of %s; run again to finish.\n", done, cli.Count(p.changes, "thing"))
	default:
		fmt.Fprintf(out, "Changed %s.\n", cli.Count(p.changes, "thing"))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s failed: %w", cli.Count(len(errs), "step"), errors.Join(errs...))
	}
	return nil
}

// --- the team file ---------------------------------------------------

// teamFile is the JSON of the team file.
type teamFile struct {
	Users []struct {
		Username string       `json:"username"`
		Email    string       `json:"email"`
		Name     string       `json:"name"`
		Groups   []membership `json:"groups"`
		Projects []membership `json:"projects"`
	} `json:"users"`
}

// membership is one group or project of a user in the team file.
type membership struct {
	Path      string `json:"path"`
	Level     string `json:"level"`
	ExpiresAt string `json:"expires_at"`
}

// levels are the names the team file gives GitLab's roles.
var levels = map[string]gitlab.AccessLevel{
	"guest": gitlab.AccessLevelGuest, "planner": gitlab.AccessLevelPlanner, "reporter": gitlab.AccessLevelReporter,
	"developer": gitlab.AccessLevelDeveloper, "maintainer": gitlab.AccessLevelMaintainer, "owner": gitlab.AccessLevelOwner,
}

// source is a group or project named in the team file.
type source struct {
	group bool
	path  string
}

func (s source) String() string {
	if s.group {
		return "group " + s.path
	}
	return "project " + s.path
}

func (s source) ref() gitlab.Source {
	if s.group {
		return gitlab.GroupPath(s.path)
	}
	return gitlab.ProjectPath(s.path)
}

// person is a user of the team file; email and name are set when the
// file says how to create them.
type person struct{ username, email, name string }

// want is a membership the team file asks for.
type want struct {
	username string
	level    gitlab.AccessLevel
	expires  string // YYYY-MM-DD, or "" for none
}

// team is the checked team file: its users, its groups and projects
// (groups first, each kind by path, so that a parent group comes before
// its subgroups), and who belongs to each, in the file's order.
type team struct {
	users   []person
	sources []source
	members map[source][]want
}

// parseTeam reads and checks a team file; today is the first day an
// expiry may be.
func parseTeam(data []byte, today time.Time) (*team, error) {
	var f teamFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	t := &team{members: map[source][]want{}}
	seen := map[string]bool{}
	var errs []error
	for i, u := range f.Users {
		name := strings.ToLower(strings.TrimPrefix(u.Username, "@"))
		switch {
		case name == "":
			errs = append(errs, fmt.Errorf("user %d has no username", i+1))
			continue
		case seen[name]:
			errs = append(errs, fmt.Errorf("@%s is listed twice", name))
			continue
		case (u.Email == "") != (u.Name == ""):
			errs = append(errs, fmt.Errorf("@%s: give both email and name (to create the user when missing), or neither", name))
		}
		seen[name] = true
		t.users = append(t.users, person{name, u.Email, u.Name})
		for _, kind := range []struct {
			group bool
			ms    []membership
		}{{true, u.Groups}, {false, u.Projects}} {
			for _, m := range kind.ms {
				src := source{kind.group, strings.Trim(m.Path, "/")}
				w, err := m.want(name, today)
				switch {
				case src.path == "":
					err = fmt.Errorf("@%s: a %s without a path", name, strings.Fields(src.String())[0])
				case slices.ContainsFunc(t.members[src], func(o want) bool { return o.username == name }):
					err = fmt.Errorf("@%s: %s is listed twice", name, src)
				}
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if t.members[src] == nil {
					t.sources = append(t.sources, src)
				}
				t.members[src] = append(t.members[src], w)
			}
		}
	}
	slices.SortFunc(t.sources, func(a, b source) int {
		if a.group != b.group {
			return map[bool]int{true: -1, false: 1}[a.group]
		}
		return strings.Compare(a.path, b.path)
	})
	return t, errors.Join(errs...)
}

// want checks one membership of the user name.
func (m membership) want(name string, today time.Time) (want, error) {
	level, ok := levels[strings.ToLower(m.Level)]
	if !ok {
		return want{}, fmt.Errorf("@%s: %s: level %q is not one of guest, planner, reporter, developer, maintainer, owner", name, m.Path, m.Level)
	}
	if m.ExpiresAt != "" {
		d, err := time.Parse("2006-01-02", m.ExpiresAt)
		if err != nil {
			return want{}, fmt.Errorf("@%s: %s: expires_at %q is not a date (YYYY-MM-DD)", name, m.Path, m.ExpiresAt)
		}
		if d.Format("2006-01-02") < today.Format("2006-01-02") {
			return want{}, fmt.Errorf("@%s: %s: expires_at %s is in the past", name, m.Path, m.ExpiresAt)
		}
	}
	return want{name, level, m.ExpiresAt}, nil
}

// --- the plan ----------------------------------------------------------

// step is one line of the plan: a change (act is set) or a note.
type step struct {
	what string
	act  func(context.Context) error
	// needs is the user a change needs the ID of; when creating them
	// failed, the change is skipped.
	needs string
}

// plan is what onboarding has to do, in order: creating users first,
// then each group and project.
type plan struct {
	steps   []step
	changes int
	creates []string // the users to create, as @name
	ids     map[string]int64
	client  *gitlab.Client
}

func (p *plan) add(what, needs string, act func(context.Context) error) {
	p.steps = append(p.steps, step{what: what, act: act, needs: needs})
	p.changes++
}

func (p *plan) note(what string) { p.steps = append(p.steps, step{what: what}) }

// makePlan reads the users of t and the direct members of each of its
// groups and projects, and plans what differs from t. It sends only
// GETs, and refuses (before any write) a file that names a missing
// user it cannot create, or a group or project GitLab does not show.
func makePlan(ctx context.Context, client *gitlab.Client, t *team, me *gitlab.User, prune bool) (*plan, error) {
	p := &plan{ids: map[string]int64{}, client: client}
	var errs []error
	for _, u := range t.users {
		found, _, err := client.Users.GetByUsername(ctx, u.username)
		switch {
		case err == nil:
			p.ids[u.username] = found.ID
		case !errors.Is(err, gitlab.ErrNotFound):
			return nil, fmt.Errorf("looking up @%s: %w", u.username, err)
		case u.email == "":
			errs = append(errs, fmt.Errorf("no user named @%s (give an email and a name in the file to create them)", u.username))
		default:
			p.creates = append(p.creates, "@"+u.username)
			p.add(fmt.Sprintf("create user @%s <%s> (%s)", u.username, u.email, u.name), "", func(ctx context.Context) error {
				created, _, err := client.Users.Create(ctx, &gitlab.CreateUserOptions{
					Username: gitlab.Ptr(u.username), Email: gitlab.Ptr(u.email), Name: gitlab.Ptr(u.name),
					ResetPassword: gitlab.Ptr(true), SkipConfirmation: gitlab.Ptr(true),
				})
				if err == nil {
					p.ids[u.username] = created.ID
				}
				return err
			})
		}
	}
	for _, src := range t.sources {
		have := map[string]*gitlab.Member{}
		var order []*gitlab.Member
		for m, err := range client.Members.ListIter(ctx, src.ref(), nil) {
			if errors.Is(err, gitlab.ErrNotFound) {
				errs = append(errs, fmt.Errorf("%s not found (onboard does not create groups or projects)", src))
				break
			}
			if err != nil {
				return nil, fmt.Errorf("listing the members of %s: %w", src, err)
			}
			have[strings.ToLower(m.Username)] = m
			order = append(order, m)
		}
		wanted := map[string]bool{}
		for _, w := range t.members[src] {
			wanted[w.username] = true
			p.planMember(src, w, have[w.username])
		}
		for _, m := range order {
			if wanted[strings.ToLower(m.Username)] || m.ID == me.ID {
				continue
			}
			role := fmt.Sprintf("(%s%s)", m.AccessLevel, until(m.ExpiresAt))
			if !prune {
				p.note(fmt.Sprintf("keeping @%s in %s %s: not in the file; -prune removes", m.Username, src, role))
				continue
			}
			p.add(fmt.Sprintf("remove @%s from %s %s", m.Username, src, role), "", func(ctx context.Context) error {
				_, err := client.Members.Remove(ctx, src.ref(), m.ID, &gitlab.RemoveMemberOptions{SkipSubresources: gitlab.Ptr(true)})
				return err
			})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return p, nil
}

// planMember plans one membership the file asks for, given the direct
// member GitLab holds (nil when none).
func (p *plan) planMember(src source, w want, m *gitlab.Member) {
	var expires *gitlab.ISODate
	if w.expires != "" {
		d, _ := time.Parse("2006-01-02", w.expires) // checked by parseTeam
		expires = gitlab.Ptr(gitlab.DateOf(d))
	}
	if m == nil {
		p.add(fmt.Sprintf("add @%s to %s as %s%s", w.username, src, w.level, until(expires)), w.username, func(ctx context.Context) error {
			_, _, err := p.client.Members.Add(ctx, src.ref(), &gitlab.AddMemberOptions{
				UserID: gitlab.Ptr(p.ids[w.username]), AccessLevel: gitlab.Ptr(w.level), ExpiresAt: expires,
			})
			return err
		})
		return
	}
	var diffs []string
	if m.AccessLevel != w.level {
		diffs = append(diffs, fmt.Sprintf("level %s to %s", m.AccessLevel, w.level))
	}
	if had := dateString(m.ExpiresAt); had != w.expires {
		diffs = append(diffs, fmt.Sprintf("expiry %s to %s", cmp.Or(had, "none"), cmp.Or(w.expires, "none")))
	}
	if len(diffs) == 0 {
		return
	}
	p.add(fmt.Sprintf("change @%s in %s: %s", w.username, src, strings.Join(diffs, ", ")), "", func(ctx context.Context) error {
		_, _, err := p.client.Members.Update(ctx, src.ref(), m.ID, &gitlab.UpdateMemberOptions{AccessLevel: gitlab.Ptr(w.level),
			ExpiresAt: expires, RemoveExpiry: expires == nil && m.ExpiresAt != nil})
		return err
	})
}

// run prints the plan and, with apply, carries it out step by step,
// going on past a failed step. It returns how many changes were made and
// the errors of those that failed.
func (p *plan) run(ctx context.Context, out io.Writer, apply bool) (done int, errs []error) {
	for _, s := range p.steps {
		switch {
		case s.act == nil:
			fmt.Fprintf(out, "  %s\n", s.what)
		case !apply:
			fmt.Fprintf(out, "  would %s\n", s.what)
		case s.needs != "" && p.ids[s.needs] == 0:
			fmt.Fprintf(out, "  skipped: %s (@%s was not created)\n", s.what, s.needs)
		default:
			err := s.act(ctx)
			switch {
			case err == nil:
				done++
				fmt.Fprintf(out, "  %s\n", pastTense(s.what))
			case strings.HasPrefix(s.what, "remove ") && errors.Is(err, gitlab.ErrNotFound):
				done++
				fmt.Fprintf(out, "  %s: already gone\n", pastTense(s.what))
			default:
				fmt.Fprintf(out, "  FAILED to %s: %v\n", s.what, err)
				errs = append(errs, fmt.Errorf("%s: %w", s.what, err))
			}
		}
	}
	return done, errs
}

// until writes an expiry as ", until YYYY-MM-DD", or nothing.
func until(d *gitlab.ISODate) string {
	if d == nil {
		return ""
	}
	return ", until " + d.String()
}

func dateString(d *gitlab.ISODate) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// pastTense turns "add x" into "added x", "create x" into "created x".
func pastTense(what string) string {
	verb, rest, _ := strings.Cut(what, " ")
	if strings.HasSuffix(verb, "e") {
		return verb + "d " + rest
	}
	return verb + "ed " + rest
}

// seeded are the IDs seed made.
type seeded struct {
	Olivia, Alice, Bob, Dave int64
	Platform, Infra, API     int64
}

// seed makes what the sample team.json is about: the users @olivia
// (Owner of the group platform), @alice (Developer of the project
// platform/api until 2099-06-30), @bob (Reporter of platform) and @dave
// (Developer of the subgroup platform/infra, whom the file does not
// list); @carol, whom the file gives an email and name for, is missing.
func seed(srv *gitlabtest.Server) seeded {
	var s seeded
	s.Olivia, _ = srv.CreateUser(gitlabtest.UserSpec{Username: "olivia", Name: "Olivia Owens"})
	s.Alice, _ = srv.CreateUser(gitlabtest.UserSpec{Username: "alice", Name: "Alice Liddell"})
	s.Bob, _ = srv.CreateUser(gitlabtest.UserSpec{Username: "bob", Name: "Bob Builder"})
	s.Dave, _ = srv.CreateUser(gitlabtest.UserSpec{Username: "dave", Name: "Dave Lister"})
	s.Platform = srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform", Name: "Platform", Owners: []int64{s.Olivia}})
	s.Infra = srv.CreateGroup(gitlabtest.GroupSpec{Path: "infra", Name: "Infra", ParentID: s.Platform})
	s.API = srv.CreateProject(gitlabtest.ProjectSpec{Path: "api", Name: "API", GroupID: s.Platform})
	srv.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(s.Platform), UserID: s.Bob, AccessLevel: gitlabtest.AccessReporter})
	srv.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.GroupSource(s.Infra), UserID: s.Dave, AccessLevel: gitlabtest.AccessDeveloper})
	srv.AddMember(gitlabtest.MemberSpec{Source: gitlabtest.ProjectSource(s.API), UserID: s.Alice, AccessLevel: gitlabtest.AccessDeveloper,
		ExpiresAt: gitlab.Ptr(time.Date(2099, 6, 30, 0, 0, 0, 0, time.UTC))})
	return s
}
