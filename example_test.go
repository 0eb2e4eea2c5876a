package gitlab_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// These examples run against gitlabtest, an in-memory GitLab, so that
// their output is checked by go test. Against a real instance, build
// the client with NewClient and WithBaseURL instead of srv.Client().

// A client for one GitLab instance, authenticated with a personal access
// token. Create it once and share it: it is safe for concurrent use.
func ExampleNewClient() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	client, err := gitlab.NewClient(srv.AdminToken(), gitlab.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	me, _, err := client.Users.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("signed in as @%s (admin: %t)\n", me.Username, me.IsAdmin)

	// An empty token makes anonymous calls, which GitLab mostly refuses.
	anon, _ := gitlab.NewClient("", gitlab.WithBaseURL(srv.URL))
	_, _, err = anon.Users.Current(ctx)
	fmt.Println("anonymous:", errors.Is(err, gitlab.ErrUnauthorized))
	// Output:
	// signed in as @root (admin: true)
	// anonymous: true
}

// Every answer outside 2xx is an *ErrorResponse that matches a sentinel
// with errors.Is; arguments that cannot be right fail before any
// request with ErrInvalidArgument.
func Example_errorHandling() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	_, _, err := client.Users.Get(ctx, 999, nil)
	var er *gitlab.ErrorResponse
	if errors.As(err, &er) {
		fmt.Println(errors.Is(err, gitlab.ErrNotFound), er.Message)
	}

	// A taken username is a 409 Conflict.
	_, _, err = client.Users.Create(ctx, &gitlab.CreateUserOptions{
		Email: gitlab.Ptr("someone@example.com"), Username: gitlab.Ptr("root"),
		Name: gitlab.Ptr("Not Root"), ForceRandomPassword: gitlab.Ptr(true),
	})
	fmt.Println("conflict:", errors.Is(err, gitlab.ErrConflict))

	// A validation error carries per-field messages.
	_, _, err = client.Users.Create(ctx, &gitlab.CreateUserOptions{
		Email: gitlab.Ptr("not an address"), Username: gitlab.Ptr("jane"),
		Name: gitlab.Ptr("Jane"), ForceRandomPassword: gitlab.Ptr(true),
	})
	if errors.As(err, &er) {
		fmt.Println(errors.Is(err, gitlab.ErrBadRequest), er.Fields["email"])
	}

	// Bad arguments never reach the server.
	before := srv.RequestCount()
	_, _, err = client.Users.Get(ctx, 0, nil)
	fmt.Println(errors.Is(err, gitlab.ErrInvalidArgument), srv.RequestCount()-before)
	_, _, err = client.Users.Create(ctx, &gitlab.CreateUserOptions{Username: gitlab.Ptr("jane")})
	fmt.Println(errors.Is(err, gitlab.ErrInvalidArgument), srv.RequestCount()-before)
	// Output:
	// true 404 User Not Found
	// conflict: true
	// true [is invalid]
	// true 0
	// true 0
}

// Requests that are safe to repeat are retried on 429, 5xx and
// transport errors, with backoff; here a third of the answers are 503.
func Example_retries() {
	srv := gitlabtest.NewServer(gitlabtest.WithFaults(0.33, 7, gitlabtest.FaultStatus503))
	defer srv.Close()
	srv.GenerateUsers(30)
	client := srv.Client(gitlab.WithRetryMax(10), gitlab.WithRetryWait(time.Millisecond, 10*time.Millisecond))

	n := 0
	for _, err := range client.Users.ListIter(context.Background(), &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 5}}) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n, "users;", srv.FaultCount() > 0, "faults retried")
	// Output: 31 users; true faults retried
}

func ExampleUsersService_Get() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane", Name: "Jane Doe", Bio: "Platform team"})

	user, _, err := srv.Client().Users.Get(context.Background(), id, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.ID, user.Username, user.Name, user.State, user.Bio)
	// Output: 2 jane Jane Doe active Platform team
}

// ListIter yields every user across pages; breaking out of the loop
// stops the fetching.
func ExampleUsersService_ListIter() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	srv.GenerateUsers(5)
	ctx := context.Background()

	opt := &gitlab.ListUsersOptions{
		ListOptions: gitlab.ListOptions{PerPage: 2},
		OrderBy:     gitlab.Ptr(gitlab.UserOrderByID),
		Sort:        gitlab.Ptr(gitlab.SortOrderAsc),
	}
	for user, err := range srv.Client().Users.ListIter(ctx, opt) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(user.ID, user.Username)
	}
	fmt.Println("pages:", srv.RouteCount("GET", "/users"))
	// Output:
	// 1 root
	// 2 user2
	// 3 user3
	// 4 user4
	// 5 user5
	// 6 user6
	// pages: 3
}

// Keyset pagination has no offset limit (offset pages of /users stop at
// 50,000 users); ListIter follows its cursor links.
func ExampleUsersService_ListIter_keyset() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	srv.GenerateUsers(250)

	opt := &gitlab.ListUsersOptions{
		ListOptions: gitlab.ListOptions{PerPage: 100},
		Pagination:  gitlab.Ptr(gitlab.PaginationKeyset),
		OrderBy:     gitlab.Ptr(gitlab.UserOrderByID),
		Sort:        gitlab.Ptr(gitlab.SortOrderAsc),
	}
	n, last := 0, int64(0)
	for user, err := range srv.Client().Users.ListIter(context.Background(), opt) {
		if err != nil {
			log.Fatal(err)
		}
		if user.ID <= last {
			log.Fatal("out of order")
		}
		n, last = n+1, user.ID
	}
	fmt.Println(n, "users in", srv.RouteCount("GET", "/users"), "requests")
	// Output: 251 users in 3 requests
}

// List returns one page and the pagination headers.
func ExampleUsersService_List() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	srv.GenerateUsers(9)

	users, resp, err := srv.Client().Users.List(context.Background(), &gitlab.ListUsersOptions{
		ListOptions: gitlab.ListOptions{Page: 2, PerPage: 4},
		Sort:        gitlab.Ptr(gitlab.SortOrderAsc),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(users), "users; page", resp.CurrentPage, "of", resp.TotalPages, "; next", resp.NextPage, "; total", resp.TotalItems)
	// Output: 4 users; page 2 of 3 ; next 3 ; total 10
}

// With WithPageConcurrency an iterator fetches several pages at once
// when GitLab reports the page count, and still yields in order.
func ExampleWithPageConcurrency() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	srv.GenerateUsers(99)
	client := srv.Client(gitlab.WithPageConcurrency(4))

	opt := &gitlab.ListUsersOptions{ListOptions: gitlab.ListOptions{PerPage: 10}, Sort: gitlab.Ptr(gitlab.SortOrderAsc)}
	n, inOrder, prev := 0, true, int64(0)
	for user, err := range client.Users.ListIter(context.Background(), opt) {
		if err != nil {
			log.Fatal(err)
		}
		inOrder = inOrder && user.ID > prev
		n, prev = n+1, user.ID
	}
	fmt.Println(n, "users, in order:", inOrder, "; pages:", srv.RouteCount("GET", "/users"))
	// Output: 100 users, in order: true ; pages: 10
}

// Create checks the required fields before sending; a user created with
// ResetPassword gets a link to set their password.
func ExampleUsersService_Create() {
	srv := gitlabtest.NewServer()
	defer srv.Close()

	user, _, err := srv.Client().Users.Create(context.Background(), &gitlab.CreateUserOptions{
		Email:            gitlab.Ptr("jane@example.com"),
		Username:         gitlab.Ptr("jane"),
		Name:             gitlab.Ptr("Jane Doe"),
		ResetPassword:    gitlab.Ptr(true),
		SkipConfirmation: gitlab.Ptr(true),
		External:         gitlab.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(user.Username, user.Email, user.State, "external:", user.External)
	// Output: jane jane@example.com active external: true
}

// Block, Unblock, Activate and Deactivate change a user's state; they
// are safe to retry and to repeat.
func ExampleUsersService_Block() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	client := srv.Client()
	ctx := context.Background()

	for range 2 { // the second Block succeeds too
		if _, err := client.Users.Block(ctx, id); err != nil {
			log.Fatal(err)
		}
	}
	u, _, _ := client.Users.Get(ctx, id, nil)
	fmt.Println(u.State)

	if _, err := client.Users.Unblock(ctx, id); err != nil {
		log.Fatal(err)
	}
	u, _, _ = client.Users.Get(ctx, id, nil)
	fmt.Println(u.State)
	// Output:
	// blocked
	// active
}

// Delete with HardDelete also removes the user's contributions.
// Ban a spammer, then lift the ban. Banning is refused for a user who is
// not active (a banned one included), with GitLab's message.
func ExampleUsersService_Ban() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "spammer"})
	client := srv.Client()
	ctx := context.Background()

	if _, err := client.Users.Ban(ctx, id); err != nil {
		log.Fatal(err)
	}
	u, _, _ := client.Users.Get(ctx, id, nil)
	fmt.Println(u.State)

	_, err := client.Users.Ban(ctx, id)
	var er *gitlab.ErrorResponse
	if errors.As(err, &er) {
		fmt.Println(errors.Is(err, gitlab.ErrForbidden), er.Message)
	}

	if _, err := client.Users.Unban(ctx, id); err != nil {
		log.Fatal(err)
	}
	u, _, _ = client.Users.Get(ctx, id, nil)
	fmt.Println(u.State)
	// Output:
	// banned
	// true You cannot ban banned users.
	// active
}

// Find whose SSH key a fingerprint belongs to, as printed by
// ssh-keygen -l (SHA256) or ssh-keygen -l -E md5 (without "MD5:").
// Administrators and auditors only.
func ExampleSSHKeysService_GetByFingerprint() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	srv.AddSSHKey(id, "laptop", gitlabtest.FakeSSHKey("jane"))
	client := srv.Client()

	key, _, err := client.SSHKeys.GetByFingerprint(context.Background(), "SHA256:wSYXjGncBER/ftk5wt3t0/qhAf3ViczVHavOQ4xz3WY")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q belongs to @%s\n", key.Title, key.User.Username)

	_, _, err = client.SSHKeys.GetByFingerprint(context.Background(), "SHA256:AAAAC3NzaC1lZDI1NTE5AAAAIDk5xKvBnLRX0kI5cfA")
	fmt.Println(errors.Is(err, gitlab.ErrNotFound))
	// Output:
	// "laptop" belongs to @jane
	// true
}

func ExampleUsersService_Delete() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	client := srv.Client()
	ctx := context.Background()

	if _, err := client.Users.Delete(ctx, id, &gitlab.DeleteUserOptions{HardDelete: gitlab.Ptr(true)}); err != nil {
		log.Fatal(err)
	}
	_, _, err := client.Users.Get(ctx, id, nil)
	fmt.Println(errors.Is(err, gitlab.ErrNotFound))
	// Output: true
}

// An administrator adds a key to another user's account; anyone may
// list a user's keys by ID or username.
func ExampleSSHKeysService_CreateForUser() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	client := srv.Client()
	ctx := context.Background()

	key, _, err := client.SSHKeys.CreateForUser(ctx, id, &gitlab.CreateSSHKeyOptions{
		Title:     gitlab.Ptr("laptop"),
		Key:       gitlab.Ptr(gitlabtest.FakeSSHKey("jane-laptop")), // "ssh-ed25519 AAAA... comment"
		ExpiresAt: gitlab.Ptr(time.Now().AddDate(1, 0, 0)),
		UsageType: gitlab.Ptr(gitlab.SSHKeyUsageTypeAuth),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(key.ID, key.Title, key.UsageType, key.ExpiresAt != nil)

	for k, err := range client.SSHKeys.ListForUserIter(ctx, gitlab.Username("@jane"), nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("jane has", k.Title)
	}
	// Output:
	// 1 laptop auth true
	// jane has laptop
}

// The current user manages their own keys with Create, List and Delete.
func ExampleSSHKeysService_Create() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	_, token := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	jane := srv.ClientFor(token) // a client with jane's own token
	ctx := context.Background()

	key, _, err := jane.SSHKeys.Create(ctx, &gitlab.CreateSSHKeyOptions{
		Title: gitlab.Ptr("desktop"),
		Key:   gitlab.Ptr(gitlabtest.FakeSSHKey("jane-desktop")),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(key.Title, key.UsageType, key.ExpiresAt == nil)
	if _, err := jane.SSHKeys.Delete(ctx, key.ID); err != nil {
		log.Fatal(err)
	}
	keys, _, _ := jane.SSHKeys.List(ctx, nil)
	fmt.Println(len(keys), "keys left")
	// Output:
	// desktop auth_and_signing true
	// 0 keys left
}

func ExampleGPGKeysService_CreateForUser() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	client := srv.Client()
	ctx := context.Background()

	armored := gitlabtest.FakeGPGKey("jane") // "-----BEGIN PGP PUBLIC KEY BLOCK-----..."
	key, _, err := client.GPGKeys.CreateForUser(ctx, id, &gitlab.CreateGPGKeyOptions{Key: gitlab.Ptr(armored)})
	if err != nil {
		log.Fatal(err)
	}
	got, _, err := client.GPGKeys.GetForUser(ctx, id, key.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.ID, got.Key == armored)

	if _, err := client.GPGKeys.DeleteForUser(ctx, id, key.ID); err != nil {
		log.Fatal(err)
	}
	keys, _, _ := client.GPGKeys.ListForUser(ctx, id, nil)
	fmt.Println(len(keys), "keys left")
	// Output:
	// 1 true
	// 0 keys left
}

// An administrator can add a confirmed address at once; GitLab lists the
// primary address first.
func ExampleEmailsService_CreateForUser() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	client := srv.Client()
	ctx := context.Background()

	_, _, err := client.Emails.CreateForUser(ctx, id, &gitlab.CreateEmailOptions{
		Email:            gitlab.Ptr("jane.doe@example.org"),
		SkipConfirmation: gitlab.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	for e, err := range client.Emails.ListForUserIter(ctx, id, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(e.Email, "confirmed:", e.ConfirmedAt != nil)
	}
	// Output:
	// jane@example.com confirmed: true
	// jane.doe@example.org confirmed: true
}

// Set replaces the whole status of the current user; an administrator
// sets another user's with WithSudo. Anyone may read a status.
func ExampleStatusService_Set() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	client := srv.Client()
	ctx := context.Background()

	_, _, err := client.Status.Set(ctx, &gitlab.SetStatusOptions{
		Emoji:        gitlab.Ptr("palm_tree"),
		Message:      gitlab.Ptr("On leave until Monday"),
		Availability: gitlab.Ptr(gitlab.AvailabilityBusy),
	}, gitlab.WithSudo(gitlab.Username("jane")))
	if err != nil {
		log.Fatal(err)
	}
	st, _, err := client.Status.GetForUser(ctx, gitlab.Username("jane"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf(":%s: %s (%s)\n", st.Emoji, st.Message, st.Availability)

	// An empty Set clears the status.
	if _, _, err := client.Status.Set(ctx, nil, gitlab.WithSudo(gitlab.Username("jane"))); err != nil {
		log.Fatal(err)
	}
	st, _, _ = client.Status.GetForUser(ctx, gitlab.Username("jane"))
	fmt.Printf("cleared: %t\n", st.Emoji == "" && st.Message == "")
	// Output:
	// :palm_tree: On leave until Monday (busy)
	// cleared: true
}

// WithSudo makes an administrator's request act as another user.
func ExampleWithSudo() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})

	me, _, err := srv.Client().Users.Current(context.Background(), gitlab.WithSudo(gitlab.Username("jane")))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.Username)
	// Output: jane
}

// Follow reports "already following" (GitLab's 304 Not Modified) as a
// nil user and no error.
func ExampleFollowsService_Follow() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	client := srv.Client()
	ctx := context.Background()

	u, _, err := client.Follows.Follow(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("now following", u.Username)

	u, resp, err := client.Follows.Follow(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u == nil, resp.StatusCode == http.StatusNotModified)

	for f, err := range client.Follows.ListFollowersIter(ctx, id, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("followed by", f.Username)
	}
	// Output:
	// now following jane
	// true true
	// followed by root
}

// An impersonation token acts as its user. Its secret value comes only
// in Create's answer; List and Get never show it again.
func ExampleImpersonationTokensService_Create() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	client := srv.Client()
	ctx := context.Background()

	tok, _, err := client.ImpersonationTokens.Create(ctx, id, &gitlab.CreateImpersonationTokenOptions{
		Name:      gitlab.Ptr("support"),
		Scopes:    []string{gitlab.ScopeReadUser},
		ExpiresAt: gitlab.Ptr(gitlab.ISODate(time.Now().AddDate(0, 6, 0))), // sent as YYYY-MM-DD
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Name, tok.Scopes, tok.Active, tok.Token.Value() != "")

	as := srv.ClientFor(tok.Token.Value())
	me, _, err := as.Users.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("acts as", me.Username)

	got, _, err := client.ImpersonationTokens.Get(ctx, id, tok.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("secret shown again: %t\n", got.Token.Value() != "")
	// Output:
	// support [read_user] true true
	// acts as jane
	// secret shown again: false
}

// Revoke keeps the token, marked revoked; it no longer authenticates.
func ExampleImpersonationTokensService_Revoke() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	client := srv.Client()
	ctx := context.Background()

	tok, _, err := client.ImpersonationTokens.Create(ctx, id, &gitlab.CreateImpersonationTokenOptions{
		Name:      gitlab.Ptr("migration"),
		Scopes:    []string{gitlab.ScopeAPI},
		ExpiresAt: gitlab.Ptr(gitlab.ISODate(time.Now().AddDate(0, 6, 0))), // sent as YYYY-MM-DD
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.ImpersonationTokens.Revoke(ctx, id, tok.ID); err != nil {
		log.Fatal(err)
	}
	opt := &gitlab.ListImpersonationTokensOptions{State: gitlab.Ptr(gitlab.TokenStateInactive)}
	for t, err := range client.ImpersonationTokens.ListIter(ctx, id, opt) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(t.Name, "revoked:", t.Revoked, "active:", t.Active)
	}
	_, _, err = srv.ClientFor(tok.Token.Value()).Users.Current(ctx)
	fmt.Println(errors.Is(err, gitlab.ErrUnauthorized))
	// Output:
	// migration revoked: true active: false
	// true
}

// Offboarding: revoke every active token of a user. Revoking inside a
// loop over ListIter would shift the pages not yet fetched and skip
// tokens, so the tokens (three pages here) are collected first.
func ExampleCollect() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"}) // with one token
	for i := range 44 {
		srv.CreateToken(id, gitlabtest.TokenSpec{Name: fmt.Sprintf("ci-%d", i)})
	}
	client := srv.Client()
	ctx := context.Background()

	opt := &gitlab.ListPersonalAccessTokensOptions{
		ListOptions: gitlab.ListOptions{PerPage: 20},
		UserID:      gitlab.Ptr(id),
		State:       gitlab.Ptr(gitlab.TokenStateActive),
	}
	tokens, err := gitlab.Collect(client.PersonalAccessTokens.ListIter(ctx, opt))
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tokens {
		if _, err := client.PersonalAccessTokens.Revoke(ctx, t.ID); err != nil {
			log.Fatal(err)
		}
	}

	_, resp, err := client.PersonalAccessTokens.List(ctx, opt)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("revoked", len(tokens), "tokens; still active:", resp.TotalItems)
	// Output: revoked 45 tokens; still active: 0
}

// An administrator makes a token for another user. Its secret comes
// only in this answer: store it then.
func ExamplePersonalAccessTokensService_CreateForUser() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	id, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	client := srv.Client()
	ctx := context.Background()

	tok, _, err := client.PersonalAccessTokens.CreateForUser(ctx, id, &gitlab.CreatePersonalAccessTokenOptions{
		Name:      gitlab.Ptr("backup"),
		Scopes:    []string{gitlab.ScopeReadUser},
		ExpiresAt: gitlab.Ptr(gitlab.ISODate(time.Now().AddDate(0, 3, 0))), // sent as YYYY-MM-DD
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Name, tok.Scopes, tok.Active, tok.Token.Value() != "")
	// Printed or logged, the token shows its secret as REDACTED.
	fmt.Println("secret printed:", strings.Contains(fmt.Sprintf("%+v", tok), tok.Token.Value()))

	me, _, err := srv.ClientFor(tok.Token.Value()).Users.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("acts as", me.Username)

	got, _, err := client.PersonalAccessTokens.Get(ctx, tok.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("secret shown again: %t\n", got.Token.Value() != "")
	// Output:
	// backup [read_user] true true
	// secret printed: false
	// acts as jane
	// secret shown again: false
}

// Rotate revokes a token and returns its successor, with a new secret
// and the same name and scopes.
func ExamplePersonalAccessTokensService_Rotate() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	_, token := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	jane := srv.ClientFor(token)
	ctx := context.Background()

	old, _, err := jane.PersonalAccessTokens.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	next, _, err := jane.PersonalAccessTokens.Rotate(ctx, old.ID, &gitlab.RotatePersonalAccessTokenOptions{
		ExpiresAt: gitlab.Ptr(gitlab.ISODate(time.Now().AddDate(0, 1, 0))),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(next.Name, next.Scopes, next.ID != old.ID)

	_, _, err = jane.Users.Current(ctx) // still the old secret
	fmt.Println("old secret refused:", errors.Is(err, gitlab.ErrUnauthorized))
	me, _, err := srv.ClientFor(next.Token.Value()).Users.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new secret acts as", me.Username)
	// Output:
	// seed [api read_api read_user] true
	// old secret refused: true
	// new secret acts as jane
}

// An instance service account acts only through its tokens, which are
// managed with PersonalAccessTokens like any user's.
func ExampleServiceAccountsService_Create() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	sa, _, err := client.ServiceAccounts.Create(ctx, &gitlab.CreateServiceAccountOptions{
		Name:     gitlab.Ptr("Deploy bot"),
		Username: gitlab.Ptr("deploy-bot"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sa.Username, sa.Name)

	tok, _, err := client.PersonalAccessTokens.CreateForUser(ctx, sa.ID, &gitlab.CreatePersonalAccessTokenOptions{
		Name:      gitlab.Ptr("deploy"),
		Scopes:    []string{gitlab.ScopeReadAPI},
		ExpiresAt: gitlab.Ptr(gitlab.ISODate(time.Now().AddDate(0, 6, 0))),
	})
	if err != nil {
		log.Fatal(err)
	}
	me, _, err := srv.ClientFor(tok.Token.Value()).Users.Current(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token acts as", me.Username)

	for a, err := range client.ServiceAccounts.ListIter(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("listed:", a.Username)
	}
	// Output:
	// deploy-bot Deploy bot
	// token acts as deploy-bot
	// listed: deploy-bot
}

// A group's Owners manage the group's service accounts and their tokens.
func ExampleServiceAccountsService_CreateTokenForGroup() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	group := srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform"})
	client := srv.Client()
	ctx := context.Background()

	sa, _, err := client.ServiceAccounts.CreateForGroup(ctx, gitlab.GroupID(group), &gitlab.CreateServiceAccountOptions{
		Username: gitlab.Ptr("platform-ci"),
	})
	if err != nil {
		log.Fatal(err)
	}
	tok, _, err := client.ServiceAccounts.CreateTokenForGroup(ctx, gitlab.GroupID(group), sa.ID, &gitlab.CreatePersonalAccessTokenOptions{
		Name:      gitlab.Ptr("ci"),
		Scopes:    []string{gitlab.ScopeAPI},
		ExpiresAt: gitlab.Ptr(gitlab.ISODate(time.Now().AddDate(0, 1, 0))),
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.ServiceAccounts.RevokeTokenForGroup(ctx, gitlab.GroupID(group), sa.ID, tok.ID); err != nil {
		log.Fatal(err)
	}
	for t, err := range client.ServiceAccounts.ListTokensForGroupIter(ctx, gitlab.GroupID(group), sa.ID, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(t.Name, "revoked:", t.Revoked)
	}
	// Output: ci revoked: true
}

// Administrators attach key/value pairs to users, and find users by
// them.
func ExampleCustomAttributesService_Set() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	jane, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	joe, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "joe"})
	client := srv.Client()
	ctx := context.Background()

	for id, team := range map[int64]string{jane: "platform", joe: "billing"} {
		if _, _, err := client.CustomAttributes.Set(ctx, id, "team", team); err != nil {
			log.Fatal(err)
		}
	}
	attr, _, err := client.CustomAttributes.Get(ctx, jane, "team")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(attr.Key, attr.Value)

	users, _, err := client.Users.List(ctx, &gitlab.ListUsersOptions{CustomAttributes: gitlab.Attributes{"team": "billing"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println("billing:", u.Username)
	}

	if _, err := client.CustomAttributes.Delete(ctx, jane, "team"); err != nil {
		log.Fatal(err)
	}
	_, _, err = client.CustomAttributes.Get(ctx, jane, "team")
	fmt.Println("deleted:", errors.Is(err, gitlab.ErrNotFound))
	// Output:
	// team platform
	// billing: joe
	// deleted: true
}

// NewRequest and Do reach an endpoint this SDK does not wrap, here
// GitLab's version, with the client's credentials, retries and errors.
func ExampleClient_Do() {
	// A stand-in for a GitLab instance, for this example.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v4/version" || r.Header.Get("Private-Token") != "glpat-example" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"version":"18.6.0-ee","revision":"abc123"}`))
	}))
	defer srv.Close()

	client, err := gitlab.NewClient("glpat-example", gitlab.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	req, err := client.NewRequest(ctx, http.MethodGet, "version", nil)
	if err != nil {
		panic(err)
	}
	var version struct {
		Version  string `json:"version"`
		Revision string `json:"revision"`
	}
	if _, err := client.Do(req, &version); err != nil {
		panic(err)
	}
	fmt.Println(version.Version)

	req, _ = client.NewRequest(ctx, http.MethodGet, "metadata", nil)
	_, err = client.Do(req, nil)
	fmt.Println(errors.Is(err, gitlab.ErrNotFound))
	// Output:
	// 18.6.0-ee
	// true
}

// Onboarding one user: Add makes them a direct member of a group (or,
// with a ProjectPath or ProjectID, of a project). A user who is already
// a member is ErrConflict, which a program that runs again can take as
// "done". (No Output line: gitlabtest serves the members API only from
// the release that models memberships; against GitLab this runs as is.)
func ExampleMembersService_Add() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	jane, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform"})

	m, _, err := client.Members.Add(ctx, gitlab.GroupPath("platform"), &gitlab.AddMemberOptions{
		UserID:      gitlab.Ptr(jane),
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelDeveloper),
		ExpiresAt:   gitlab.Ptr(gitlab.NewISODate(2030, time.December, 31)),
	})
	switch {
	case errors.Is(err, gitlab.ErrConflict):
		fmt.Println("jane is a member already")
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println(m.Username, m.AccessLevel, m.ExpiresAt)
	}
}

// AddMany adds several users at one level. GitLab answers 201 even when
// some of them could not be added: the result says which and why.
func ExampleMembersService_AddMany() {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()
	srv.CreateUser(gitlabtest.UserSpec{Username: "jane"})
	srv.CreateUser(gitlabtest.UserSpec{Username: "joe"})
	srv.CreateGroup(gitlabtest.GroupSpec{Path: "platform"})

	res, _, err := client.Members.AddMany(ctx, gitlab.GroupPath("platform"), &gitlab.AddMembersOptions{
		Usernames:   []string{"jane", "joe"},
		AccessLevel: gitlab.Ptr(gitlab.AccessLevelReporter),
	})
	if err != nil {
		log.Fatal(err)
	}
	if !res.Failed() {
		fmt.Println("all added")
	}
	for user, why := range res.Failures {
		fmt.Printf("%s: %s\n", user, why)
	}
}
