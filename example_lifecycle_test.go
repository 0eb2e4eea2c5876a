package gitlab_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// A project access token is a token of a new bot user, a member of the
// project at the token's role. Its secret is shown once: store it then.
func ExampleAccessTokensService_Create() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	g := srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform"})
	srv.CreateProject(gitlabtest.ProjectSpec{Path: "deployer", GroupID: g})

	tok, _, err := client.AccessTokens.Create(ctx, gitlab.ProjectPath("platform/deployer"), &gitlab.CreateAccessTokenOptions{
		Name:        gitlab.Ptr("deploy"),
		Scopes:      []string{"read_repository"},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper),
		ExpiresAt:   gitlab.Ptr(gitlab.DateOf(time.Now().AddDate(0, 3, 0))),
	})
	if err != nil {
		log.Fatal(err)
	}
	bot, _, err := client.Users.Get(ctx, tok.UserID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Name, tok.AccessLevel, tok.ResourceType, bot.Bot, strings.HasPrefix(bot.Username, "project_"))
	fmt.Printf("%v\n", tok.Token) // never the secret; tok.Token.Value() is
	// Output:
	// deploy Developer project true true
	// REDACTED
}

// An administrator finds out what a leaked secret is, then revokes it.
// The secret travels only in the request body.
func ExampleTokenInformationService_Get() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	jane, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	_, leaked := srv.CreateToken(jane, gitlabtest.TokenSpec{Name: "laptop", Scopes: []string{"api"}})

	info, _, err := client.TokenInformation.Get(ctx, leaked)
	if err != nil {
		log.Fatal(err)
	}
	t := info.PersonalAccessToken
	fmt.Println(info.Type, info.Prefix, t.Name, t.UserID == jane, t.Active)
	if _, err := client.TokenInformation.Revoke(ctx, leaked); err != nil {
		log.Fatal(err)
	}
	info, _, _ = client.TokenInformation.Get(ctx, leaked)
	fmt.Println("revoked:", info.PersonalAccessToken.Revoked)
	// Output:
	// personal_access_token glpat- laptop true true
	// revoked: true
}

// A user's contribution events, newest first. GitLab hides the events of
// projects the caller cannot read after cutting each page, so a page
// may be short: the iterator reads on as long as GitLab announces more.
func ExampleUsersService_ListEventsIter() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	jane, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	g := srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform"})
	app := srv.CreateProject(gitlabtest.ProjectSpec{Path: "app", GroupID: g})

	if _, _, err := client.Members.Add(ctx, gitlab.ProjectID(app), &gitlab.AddMemberOptions{
		UserID: gitlab.Ptr(jane), AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper)}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Members.Remove(ctx, gitlab.ProjectID(app), jane, nil); err != nil {
		log.Fatal(err)
	}
	for ev, err := range client.Users.ListEventsIter(ctx, gitlab.Username("jane"), nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ev.ActionName, *ev.TargetTitle)
	}
	// Output:
	// left app
	// joined app
}

// Who changed access, from the audit log: gitlabtest records what
// GitLab records for the actions it performs.
func ExampleAuditEventsService_ListIter() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	jane, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	g := srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform"})
	if _, _, err := client.Members.Add(ctx, gitlab.GroupID(g), &gitlab.AddMemberOptions{
		UserID: gitlab.Ptr(jane), AccessLevel: gitlab.Ptr(gitlab.AccessLevelReporter)}); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Users.Block(ctx, jane); err != nil {
		log.Fatal(err)
	}

	opt := &gitlab.ListAuditEventsOptions{Pagination: gitlab.Ptr(gitlab.PaginationKeyset)}
	for e, err := range client.AuditEvents.ListIter(ctx, opt) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(*e.EventName, e.EntityType, e.Details["author_name"])
	}
	// Output:
	// user_blocked User Administrator
	// member_created Group Administrator
}

// A group without LDAP links is an empty list, although GitLab answers
// 404 "No linked LDAP groups found".
func ExampleLDAPGroupLinksService_List() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform"})

	links, _, err := client.LDAPGroupLinks.List(ctx, gitlab.GroupPath("platform"))
	fmt.Println(len(links), err)
	if _, _, err := client.LDAPGroupLinks.Create(ctx, gitlab.GroupPath("platform"), &gitlab.CreateLDAPGroupLinkOptions{
		CN: gitlab.Ptr("developers"), GroupAccess: gitlab.Ptr(gitlab.AccessLevelDeveloper), Provider: gitlab.Ptr("ldapmain"),
	}); err != nil {
		log.Fatal(err)
	}
	links, _, _ = client.LDAPGroupLinks.List(ctx, gitlab.GroupPath("platform"))
	fmt.Println(*links[0].CN, links[0].GroupAccess, links[0].Provider)
	// Output:
	// 0 <nil>
	// developers Developer ldapmain
}
