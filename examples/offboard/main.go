// Command offboard removes a departing user's ways in: it revokes their
// impersonation tokens and personal access tokens, deletes their SSH keys, GPG keys and secondary
// email addresses, removes them from every group and project they are a
// direct member of, then blocks the account. It needs an administrator's
// token.
//
// Memberships are found with the user's membership list and removed one
// by one, each from its own group or project only (a membership of a
// subgroup is its own line). With -billable GROUP the user is instead
// removed from the top-level group GROUP, its subgroups and their
// projects at once, which frees their seat in GROUP's subscription
// (GitLab does it in the background, within minutes); memberships
// outside GROUP are still removed one by one. GitLab refuses to remove a
// group's last Owner and the holder of a personal project: those steps
// fail, and say so, until someone else owns the group or the project
// moves.
//
// It is a dry run by default: it prints what it would do and changes
// nothing. -apply makes the changes and prints each one as it is done.
//
//	go run ./examples/offboard                 # embedded GitLab, seeded user "departing", dry run
//	go run ./examples/offboard -apply          # ... and for real
//	go run ./examples/offboard -billable platform -apply   # ... freeing the seat in the group platform
//
// With no GITLAB_URL it starts an in-memory GitLab (package gitlabtest)
// and seeds a user "departing" with keys, emails and tokens, so there is
// something to offboard. With GITLAB_URL and GITLAB_TOKEN it works on
// that instance, and -user is required:
//
//	GITLAB_URL=https://gitlab.example.com GITLAB_TOKEN=glpat-... go run ./examples/offboard -user jane
//	GITLAB_URL=https://gitlab.example.com GITLAB_TOKEN=glpat-... go run ./examples/offboard -user 42 -apply
//
// The program carries on past a failed step, so that one stuck key does
// not leave the account unblocked, and exits non-zero if any step failed.
// Running it again is safe: what is already gone is not touched again.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

func main() {
	cli.Main("offboard", func(ctx context.Context) error {
		return run(ctx, os.Stdout, os.Getenv, os.Args[1:])
	})
}

// run is the whole program, with its environment passed in so that a
// test can drive it.
func run(ctx context.Context, out io.Writer, getenv func(string) string, args []string) error {
	fs := cli.NewFlagSet("offboard", out, "Removes a departing user's ways in (impersonation tokens, SSH and GPG keys, secondary\nemails, group and project memberships), then blocks the account. A dry run unless -apply is given.")
	who := fs.String("user", "", "the user to offboard: a username (with or without @) or a numeric ID")
	apply := fs.Bool("apply", false, "make the changes (default: only print what would be done)")
	billable := fs.String("billable", "", "the full path of a top-level group to remove the user from as a billable member (with its subgroups and projects), freeing their seat")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}

	var client *gitlab.Client
	if getenv("GITLAB_URL") == "" {
		srv := gitlabtest.NewServer()
		defer srv.Close()
		client = srv.Client()
		d, err := seed(ctx, srv, client)
		if err != nil {
			return fmt.Errorf("seeding the embedded GitLab: %w", err)
		}
		fmt.Fprintf(out, "Using an embedded in-memory GitLab at %s, seeded with the user @departing (set GITLAB_URL and GITLAB_TOKEN to use a real one).\n", srv.URL)
		if *who == "" {
			*who = "departing"
		}
		defer func() {
			if u, ok := srv.UserByUsername(*who); ok && *apply {
				fmt.Fprintf(out, "The embedded GitLab now holds for @%s: state %s, SSH keys %d, GPG keys %d, secondary emails %d, active impersonation tokens %d, active personal access tokens %d, memberships %d.\n",
					u.Username, u.State, len(srv.SSHKeys(u.ID)), len(srv.GPGKeys(u.ID)), len(srv.Emails(u.ID))-1, activeTokens(srv.ImpersonationTokens(u.ID)),
					activeTokens(srv.PersonalTokens(u.ID)), memberships(srv, u.ID, d.Sources))
			}
		}()
	} else {
		if *who == "" {
			return cli.Usagef("-user is required: a username or a numeric user ID")
		}
		var err error
		client, err = cli.NewClient(getenv)
		if err != nil {
			return err
		}
	}

	user, err := findUser(ctx, client, *who)
	if err != nil {
		return err
	}
	me, err := cli.Admin(ctx, client, "offboarding needs an administrator's token")
	if err != nil {
		return err
	}
	if me.ID == user.ID {
		return fmt.Errorf("@%s is the user this token belongs to: offboard them with another administrator's token", user.Username)
	}

	o := &offboarder{client: client, out: out, apply: *apply, user: user}
	if *apply {
		fmt.Fprintf(out, "Offboarding @%s (ID %d, %s, state %s):\n", user.Username, user.ID, user.Name, user.State)
	} else {
		fmt.Fprintf(out, "Dry run for @%s (ID %d, %s, state %s); pass -apply to make these changes:\n", user.Username, user.ID, user.Name, user.State)
	}
	o.revokeTokens(ctx)
	o.revokePersonalTokens(ctx)
	o.deleteSSHKeys(ctx)
	o.deleteGPGKeys(ctx)
	o.deleteEmails(ctx)
	var inGroup map[source]bool
	if *billable != "" {
		inGroup = o.removeBillable(ctx, *billable)
	}
	o.removeMemberships(ctx, inGroup)
	o.block(ctx)

	verb := "would change"
	if *apply {
		verb = "changed"
	}
	if o.changes == 0 {
		fmt.Fprintln(out, "Nothing to do: the user is already offboarded.")
	} else {
		fmt.Fprintf(out, "%s %s.\n", strings.ToUpper(verb[:1])+verb[1:], cli.Count(o.changes, "thing"))
	}
	if len(o.errs) > 0 {
		return fmt.Errorf("%s failed: %w", cli.Count(len(o.errs), "step"), errors.Join(o.errs...))
	}
	return nil
}

// findUser resolves -user: digits are an ID, anything else a username.
func findUser(ctx context.Context, client *gitlab.Client, who string) (*gitlab.User, error) {
	if id, err := strconv.ParseInt(who, 10, 64); err == nil {
		u, _, err := client.Users.Get(ctx, id, nil)
		if errors.Is(err, gitlab.ErrNotFound) {
			return nil, fmt.Errorf("no user with ID %d", id)
		}
		return u, err
	}
	u, _, err := client.Users.GetByUsername(ctx, who)
	if errors.Is(err, gitlab.ErrNotFound) {
		return nil, fmt.Errorf("no user named @%s", strings.TrimPrefix(who, "@"))
	}
	if err != nil {
		return nil, fmt.Errorf("looking up %s: %w", who, err)
	}
	return u, nil
}

// offboarder runs the steps for one user, counting changes and
// collecting errors instead of stopping at the first.
type offboarder struct {
	client  *gitlab.Client
	out     io.Writer
	apply   bool
	user    *gitlab.User
	changes int
	errs    []error
	// handled are the tokens revoked as impersonation tokens.
	handled []int64
}

// do prints one change and, with -apply, makes it. A 404 means someone
// else removed the thing meanwhile: that counts as done.
func (o *offboarder) do(what string, act func() (*gitlab.Response, error)) {
	o.changes++
	if !o.apply {
		fmt.Fprintf(o.out, "  would %s\n", what)
		return
	}
	_, err := act()
	switch {
	case errors.Is(err, gitlab.ErrNotFound):
		fmt.Fprintf(o.out, "  %s: already gone\n", pastTense(what))
	case err != nil:
		fmt.Fprintf(o.out, "  FAILED to %s: %v\n", what, err)
		o.errs = append(o.errs, fmt.Errorf("%s: %w", what, err))
	default:
		fmt.Fprintf(o.out, "  %s\n", pastTense(what))
	}
}

// failed records an error that stopped a whole step (a list that could
// not be read).
func (o *offboarder) failed(step string, err error) {
	fmt.Fprintf(o.out, "  FAILED to %s: %v\n", step, err)
	o.errs = append(o.errs, fmt.Errorf("%s: %w", step, err))
}

// listAll is how each step first reads the whole list, then acts on it:
// deleting while an iterator is still paging through the same list would
// shift later pages and skip items. It returns the items keep accepts
// (all when keep is nil), or none when the list could not be read.
func listAll[T any](o *offboarder, what string, items iter.Seq2[T, error], keep func(T) bool) []T {
	var out []T
	for it, err := range items {
		if err != nil {
			o.failed("list "+what, err)
			return nil
		}
		if keep == nil || keep(it) {
			out = append(out, it)
		}
	}
	return out
}

func (o *offboarder) revokeTokens(ctx context.Context) {
	opt := &gitlab.ListImpersonationTokensOptions{State: gitlab.Ptr(gitlab.TokenStateActive)}
	tokens := listAll(o, "impersonation tokens", o.client.ImpersonationTokens.ListIter(ctx, o.user.ID, opt), nil)
	for _, t := range tokens {
		o.handled = append(o.handled, t.ID)
		o.do(fmt.Sprintf("revoke impersonation token %d %q (scopes %s)", t.ID, t.Name, strings.Join(t.Scopes, ",")), func() (*gitlab.Response, error) {
			return o.client.ImpersonationTokens.Revoke(ctx, o.user.ID, t.ID)
		})
	}
}

// revokePersonalTokens revokes the user's active personal access tokens.
// An administrator's list of a user's tokens includes the impersonation
// tokens, which revokeTokens handled already.
func (o *offboarder) revokePersonalTokens(ctx context.Context) {
	opt := &gitlab.ListPersonalAccessTokensOptions{UserID: gitlab.Ptr(o.user.ID), State: gitlab.Ptr(gitlab.TokenStateActive)}
	tokens := listAll(o, "personal access tokens", o.client.PersonalAccessTokens.ListIter(ctx, opt),
		func(t *gitlab.PersonalAccessToken) bool { return !slices.Contains(o.handled, t.ID) })
	for _, t := range tokens {
		o.do(fmt.Sprintf("revoke personal access token %d %q (scopes %s)", t.ID, t.Name, strings.Join(t.Scopes, ",")), func() (*gitlab.Response, error) {
			return o.client.PersonalAccessTokens.Revoke(ctx, t.ID)
		})
	}
}

func (o *offboarder) deleteSSHKeys(ctx context.Context) {
	keys := listAll(o, "SSH keys", o.client.SSHKeys.ListForUserIter(ctx, gitlab.UserID(o.user.ID), nil), nil)
	for _, k := range keys {
		o.do(fmt.Sprintf("delete SSH key %d %q", k.ID, k.Title), func() (*gitlab.Response, error) {
			return o.client.SSHKeys.DeleteForUser(ctx, o.user.ID, k.ID)
		})
	}
}

func (o *offboarder) deleteGPGKeys(ctx context.Context) {
	keys := listAll(o, "GPG keys", o.client.GPGKeys.ListForUserIter(ctx, o.user.ID, nil), nil)
	for _, k := range keys {
		o.do(fmt.Sprintf("delete GPG key %d", k.ID), func() (*gitlab.Response, error) {
			return o.client.GPGKeys.DeleteForUser(ctx, o.user.ID, k.ID)
		})
	}
}

func (o *offboarder) deleteEmails(ctx context.Context) {
	// GitLab lists the primary address too, and refuses to delete it;
	// it goes with the account.
	emails := listAll(o, "emails", o.client.Emails.ListForUserIter(ctx, o.user.ID, nil),
		func(e *gitlab.Email) bool { return !strings.EqualFold(e.Email, o.user.Email) })
	for _, e := range emails {
		o.do(fmt.Sprintf("delete email %d <%s>", e.ID, e.Email), func() (*gitlab.Response, error) {
			return o.client.Emails.DeleteForUser(ctx, o.user.ID, e.ID)
		})
	}
}

// source is a group (group true) or a project, by ID.
type source struct {
	group bool
	id    int64
}

func (s source) ref() gitlab.Source {
	if s.group {
		return gitlab.GroupID(s.id)
	}
	return gitlab.ProjectID(s.id)
}

// removeBillable removes the user from the top-level group's hierarchy
// with one request, and returns the groups and projects of the
// hierarchy the user was a member of, which removeMemberships then
// leaves alone. A user who is not billable there (404) has nothing to
// remove.
func (o *offboarder) removeBillable(ctx context.Context, group string) map[source]bool {
	var ms []*gitlab.BillableMembership
	for m, err := range o.client.Members.ListBillableMembershipsIter(ctx, gitlab.GroupPath(group), o.user.ID, nil) {
		if errors.Is(err, gitlab.ErrNotFound) && strings.Contains(err.Error(), "User Not Found") {
			fmt.Fprintf(o.out, "  not a billable member of %s: no seat to free\n", group)
			return nil
		}
		if errors.Is(err, gitlab.ErrBadRequest) {
			// GitLab answers a bare 400 for a subgroup, and for a
			// caller who is not an Owner (ee/lib/ee/api/members.rb).
			err = fmt.Errorf("%w (-billable takes a top-level group)", err)
		}
		if err != nil {
			o.failed("list billable memberships in "+group, err)
			return nil
		}
		ms = append(ms, m)
	}
	in := map[source]bool{}
	for _, m := range ms {
		// GitLab links a group's members page or a project's
		// (ee/lib/ee/api/entities/billable_membership.rb).
		in[source{!strings.HasSuffix(m.SourceMembersURL, "/-/project_members"), m.SourceID}] = true
	}
	o.changes++
	what := fmt.Sprintf("remove @%s from %s and its subgroups and projects (%s), freeing their seat", o.user.Username, group, cli.Count(len(ms), "membership"))
	if !o.apply {
		fmt.Fprintf(o.out, "  would %s\n", what)
		return in
	}
	_, err := o.client.Members.RemoveBillable(ctx, gitlab.GroupPath(group), o.user.ID)
	switch {
	// A removal GitLab has scheduled but not yet carried out is refused
	// with this message (ee/app/models/members/deletion_schedule.rb).
	case errors.Is(err, gitlab.ErrBadRequest) && strings.Contains(err.Error(), "already scheduled for deletion"):
		fmt.Fprintf(o.out, "  %s: already under way\n", pastTense(what))
	case err != nil:
		fmt.Fprintf(o.out, "  FAILED to %s: %v\n", what, err)
		o.errs = append(o.errs, fmt.Errorf("%s: %w", what, err))
	default:
		fmt.Fprintf(o.out, "  %s\n", pastTense(what))
	}
	return in
}

// removeMemberships removes the user from each group and project they
// are a direct member of, except those in skip. Each request removes
// one membership (skip_subresources), so that what is printed is what
// is done: a group's subgroups and projects are their own lines.
func (o *offboarder) removeMemberships(ctx context.Context, skip map[source]bool) {
	ms := listAll(o, "memberships", o.client.Users.ListMembershipsIter(ctx, o.user.ID, nil), nil)
	for _, m := range ms {
		src := source{m.SourceType == gitlab.MembershipTypeNamespace, m.SourceID}
		if skip[src] {
			continue
		}
		kind := map[bool]string{true: "group", false: "project"}[src.group]
		o.do(fmt.Sprintf("remove @%s from %s %d %q (%s)", o.user.Username, kind, m.SourceID, m.SourceName, m.AccessLevel), func() (*gitlab.Response, error) {
			return o.client.Members.Remove(ctx, src.ref(), o.user.ID, &gitlab.RemoveMemberOptions{SkipSubresources: gitlab.Ptr(true)})
		})
	}
}

func (o *offboarder) block(ctx context.Context) {
	switch o.user.State {
	case gitlab.UserStateBlocked, gitlab.UserStateLDAPBlocked, gitlab.UserStateBanned:
		fmt.Fprintf(o.out, "  already %s: not blocking again\n", strings.ReplaceAll(string(o.user.State), "_", " "))
		return
	}
	o.do(fmt.Sprintf("block @%s", o.user.Username), func() (*gitlab.Response, error) {
		return o.client.Users.Block(ctx, o.user.ID)
	})
}

// pastTense turns "revoke x" into "revoked x", "delete x" into "deleted x".
func pastTense(what string) string {
	verb, rest, _ := strings.Cut(what, " ")
	if strings.HasSuffix(verb, "e") {
		return verb + "d " + rest
	}
	return verb + "ed " + rest
}

func activeTokens(ts []gitlabtest.TokenSnapshot) int {
	n := 0
	for _, t := range ts {
		if !t.Revoked {
			n++
		}
	}
	return n
}

// memberships counts the user's direct memberships of the sources.
func memberships(srv *gitlabtest.Server, userID int64, sources []gitlabtest.MemberSource) int {
	n := 0
	for _, src := range sources {
		for _, m := range srv.Members(src) {
			if m.UserID == userID {
				n++
			}
		}
	}
	return n
}

// departing is what seed gives the user to offboard.
type departing struct {
	UserID      int64
	TokenIDs    []int64 // active impersonation tokens
	RevokedID   int64   // an impersonation token revoked before
	PersonalIDs []int64 // active personal access tokens
	BystanderID int64   // another user, whose things must stay
	// Sources are the groups platform, platform/infra and docs and the
	// project platform/api, of which the user is a direct member.
	Sources []gitlabtest.MemberSource
}

// seed creates the user "departing" with two SSH keys, a GPG key, two
// secondary emails, two active impersonation tokens and a revoked one,
// two personal access tokens, direct memberships of the groups
// platform (Developer), its subgroup platform/infra (Maintainer) and docs
// (Reporter) and of the project platform/api (Developer), and a
// bystander "staying" with a key and an email of their own, who owns
// the groups.
// Tokens can only be made through the API, hence the client.
func seed(ctx context.Context, srv *gitlabtest.Server, client *gitlab.Client) (departing, error) {
	var d departing
	d.UserID, _ = srv.CreateUser(gitlabtest.UserSpec{Username: "departing", Name: "Dee Parting"})
	srv.AddSSHKey(d.UserID, "laptop", gitlabtest.FakeSSHKey("departing-laptop"))
	srv.AddSSHKey(d.UserID, "build server", gitlabtest.FakeSSHKey("departing-build"))
	srv.AddGPGKey(d.UserID, gitlabtest.FakeGPGKey("departing"))
	srv.AddEmail(d.UserID, "dee@personal.example.org", true)
	srv.AddEmail(d.UserID, "dee.parting@old-team.example.com", false)

	d.BystanderID, _ = srv.CreateUser(gitlabtest.UserSpec{Username: "staying", Name: "Stay Ing"})
	srv.AddSSHKey(d.BystanderID, "desktop", gitlabtest.FakeSSHKey("staying"))
	srv.AddEmail(d.BystanderID, "stay@personal.example.org", true)

	platform := srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform", Name: "Platform", Owners: []int64{d.BystanderID}})
	infra := srv.CreateGroup(gitlabtest.GroupSpec{Path: "infra", Name: "Infra", ParentID: platform})
	docs := srv.CreateGroup(gitlabtest.GroupSpec{Path: "docs", Name: "Docs", Owners: []int64{d.BystanderID}})
	api := srv.CreateProject(gitlabtest.ProjectSpec{Path: "api", Name: "API", GroupID: platform})
	for _, m := range []struct {
		src   gitlabtest.MemberSource
		level int
	}{
		{gitlabtest.GroupSource(platform), gitlabtest.AccessDeveloper},
		{gitlabtest.GroupSource(infra), gitlabtest.AccessMaintainer},
		{gitlabtest.GroupSource(docs), gitlabtest.AccessReporter},
		{gitlabtest.ProjectSource(api), gitlabtest.AccessDeveloper},
	} {
		srv.AddMember(gitlabtest.MemberSpec{Source: m.src, UserID: d.UserID, AccessLevel: m.level})
		d.Sources = append(d.Sources, m.src)
	}

	expires := gitlab.Ptr(gitlab.ISODate(time.Now().AddDate(0, 6, 0))) // sent as YYYY-MM-DD
	for _, spec := range []struct {
		name   string
		scopes []string
	}{
		{"deploy-script", []string{gitlab.ScopeAPI}},
		{"support-debugging", []string{gitlab.ScopeReadUser, gitlab.ScopeReadRepository}},
		{"old-migration", []string{gitlab.ScopeAPI}},
	} {
		tok, _, err := client.ImpersonationTokens.Create(ctx, d.UserID, &gitlab.CreateImpersonationTokenOptions{
			Name: gitlab.Ptr(spec.name), Scopes: spec.scopes, ExpiresAt: expires,
		})
		if err != nil {
			return d, err
		}
		d.TokenIDs = append(d.TokenIDs, tok.ID)
	}
	d.RevokedID, d.TokenIDs = d.TokenIDs[2], d.TokenIDs[:2]
	if _, err := client.ImpersonationTokens.Revoke(ctx, d.UserID, d.RevokedID); err != nil {
		return d, err
	}
	// CreateUser gave the user a token ("seed"); add a CI token.
	for _, t := range srv.PersonalTokens(d.UserID) {
		d.PersonalIDs = append(d.PersonalIDs, t.ID)
	}
	ci, _, err := client.PersonalAccessTokens.CreateForUser(ctx, d.UserID, &gitlab.CreatePersonalAccessTokenOptions{
		Name: gitlab.Ptr("ci"), Scopes: []string{gitlab.ScopeReadRepository}, ExpiresAt: expires,
	})
	if err != nil {
		return d, err
	}
	d.PersonalIDs = append(d.PersonalIDs, ci.ID)
	return d, nil
}
