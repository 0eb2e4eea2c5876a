// Command quickstart tours the SDK's main jobs: the current user, listing
// users, creating one, adding an SSH key and an email, setting a status,
// following, an impersonation token, then blocking and deleting the user.
//
// With no GITLAB_URL it starts an in-memory GitLab (package gitlabtest)
// and runs everything against it:
//
//	go run ./examples/quickstart
//
// With GITLAB_URL and GITLAB_TOKEN it talks to that instance, read-only
// unless -write is given (the write steps need an administrator's token
// and create, then delete, a throwaway user):
//
//	GITLAB_URL=https://gitlab.example.com GITLAB_TOKEN=glpat-... go run ./examples/quickstart -write
package main

import (
	"context"
	"crypto/ed25519"
	crand "crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/examples/internal/cli"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

func main() {
	cli.Main("quickstart", func(ctx context.Context) error {
		return run(ctx, os.Stdout, os.Getenv, os.Args[1:])
	})
}

// run is the whole program, with its environment passed in so that a
// test can drive it.
func run(ctx context.Context, out io.Writer, getenv func(string) string, args []string) error {
	fs := cli.NewFlagSet("quickstart", out, "A tour of the SDK: the current user, the newest users, then (with -write) creating,\nchanging, blocking and deleting a throwaway user.")
	write := fs.Bool("write", false, "with GITLAB_URL: also run the steps that create, change and delete a throwaway user")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}

	var client *gitlab.Client
	if getenv("GITLAB_URL") == "" {
		srv := gitlabtest.NewServer()
		defer srv.Close()
		srv.GenerateUsers(4)
		fmt.Fprintf(out, "Using an embedded in-memory GitLab at %s (set GITLAB_URL and GITLAB_TOKEN to use a real one).\n", srv.URL)
		client = srv.Client()
		*write = true
	} else {
		var err error
		client, err = cli.NewClient(getenv)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Using GitLab at %s (%s).\n", client.BaseURL(), map[bool]string{true: "read and write", false: "read-only; pass -write to create and delete a throwaway user"}[*write])
	}

	// 1. Who am I?
	me, _, err := client.Users.Current(ctx)
	if err != nil {
		return fmt.Errorf("current user: %w", err)
	}
	role := "not an administrator"
	if me.IsAdmin {
		role = "an administrator"
	}
	fmt.Fprintf(out, "1. Signed in as @%s (ID %d), %s.\n", me.Username, me.ID, role)

	// 2. List users with the iterator: it follows pages by itself (two
	// users per page here, to show it). Highest ID first is GitLab's
	// default order; it is spelled out for the reader.
	fmt.Fprintln(out, "2. The five newest users:")
	n := 0
	for u, err := range client.Users.ListIter(ctx, &gitlab.ListUsersOptions{
		ListOptions: gitlab.ListOptions{PerPage: 2},
		OrderBy:     gitlab.Ptr(gitlab.UserOrderByID),
		Sort:        gitlab.Ptr(gitlab.SortOrderDesc),
	}) {
		if err != nil {
			return fmt.Errorf("list users: %w", err)
		}
		fmt.Fprintf(out, "   - @%s (%s, %s)\n", u.Username, u.Name, u.State)
		if n++; n == 5 {
			break
		}
	}
	if !*write {
		fmt.Fprintln(out, "Done (read-only).")
		return nil
	}

	// 3. Create a user. Create checks the required fields before sending.
	name := fmt.Sprintf("quickstart-%06d", rand.IntN(1_000_000))
	user, _, err := client.Users.Create(ctx, &gitlab.CreateUserOptions{
		Email:            gitlab.Ptr(name + "@example.com"),
		Username:         gitlab.Ptr(name),
		Name:             gitlab.Ptr("Quick Start"),
		ResetPassword:    gitlab.Ptr(true),
		SkipConfirmation: gitlab.Ptr(true),
	})
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	fmt.Fprintf(out, "3. Created @%s (ID %d, state %s).\n", user.Username, user.ID, user.State)
	defer func() {
		// Clean up even when a later step fails.
		if _, err := client.Users.Delete(context.WithoutCancel(ctx), user.ID, &gitlab.DeleteUserOptions{HardDelete: gitlab.Ptr(true)}); err != nil && !errors.Is(err, gitlab.ErrNotFound) {
			fmt.Fprintf(out, "   cleanup: deleting @%s failed: %v\n", user.Username, err)
		}
	}()

	// 4. Give the user an SSH key and a second email address.
	pub, err := newSSHKey()
	if err != nil {
		return err
	}
	key, _, err := client.SSHKeys.CreateForUser(ctx, user.ID, &gitlab.CreateSSHKeyOptions{
		Title:     gitlab.Ptr("laptop"),
		Key:       gitlab.Ptr(pub),
		ExpiresAt: gitlab.Ptr(time.Now().AddDate(1, 0, 0).UTC().Truncate(time.Second)),
	})
	if err != nil {
		return fmt.Errorf("add SSH key: %w", err)
	}
	fmt.Fprintf(out, "4. Added SSH key %q (ID %d, expires %s).\n", key.Title, key.ID, key.ExpiresAt.Format(time.DateOnly))
	email, _, err := client.Emails.CreateForUser(ctx, user.ID, &gitlab.CreateEmailOptions{
		Email:            gitlab.Ptr(name + ".work@example.com"),
		SkipConfirmation: gitlab.Ptr(true),
	})
	if err != nil {
		return fmt.Errorf("add email: %w", err)
	}
	fmt.Fprintf(out, "   Added email %s (ID %d).\n", email.Email, email.ID)

	// 5. Set the user's status: an administrator acts as them with Sudo.
	status, _, err := client.Status.Set(ctx, &gitlab.SetStatusOptions{
		Emoji:   gitlab.Ptr("coffee"),
		Message: gitlab.Ptr("Trying the Go SDK"),
	}, gitlab.WithSudo(gitlab.UserID(user.ID)))
	if err != nil {
		return fmt.Errorf("set status: %w", err)
	}
	fmt.Fprintf(out, "5. Status of @%s: :%s: %s\n", user.Username, status.Emoji, status.Message)

	// 6. Follow the user. A second Follow changes nothing: GitLab answers
	// 304, which the SDK reports as a nil user and no error.
	followed, _, err := client.Follows.Follow(ctx, user.ID)
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	fmt.Fprintf(out, "6. @%s now follows @%s.\n", me.Username, followed.Username)
	again, resp, err := client.Follows.Follow(ctx, user.ID)
	if err != nil {
		return fmt.Errorf("follow again: %w", err)
	}
	if again == nil && resp.StatusCode == http.StatusNotModified {
		fmt.Fprintln(out, "   Following again: 304 Not Modified (already following).")
	}

	// 7. An impersonation token acts as the user; its value is shown
	// only once, by Create.
	tok, _, err := client.ImpersonationTokens.Create(ctx, user.ID, &gitlab.CreateImpersonationTokenOptions{
		Name:      gitlab.Ptr("quickstart"),
		Scopes:    []string{gitlab.ScopeReadUser},
		ExpiresAt: gitlab.Ptr(gitlab.NewISODate(time.Now().AddDate(0, 6, 0).Date())), // within GitLab's one-year limit
	})
	if err != nil {
		return fmt.Errorf("create impersonation token: %w", err)
	}
	as, err := gitlab.NewClient(tok.Token.Value(), gitlab.WithBaseURL(client.BaseURL()))
	if err != nil {
		return err
	}
	who, _, err := as.Users.Current(ctx)
	if err != nil {
		return fmt.Errorf("current user with the impersonation token: %w", err)
	}
	fmt.Fprintf(out, "7. Impersonation token %q (scopes %v) signs in as @%s.\n", tok.Name, tok.Scopes, who.Username)
	if _, err := client.ImpersonationTokens.Revoke(ctx, user.ID, tok.ID); err != nil {
		return fmt.Errorf("revoke impersonation token: %w", err)
	}
	switch _, _, err = as.Users.Current(ctx); {
	case errors.Is(err, gitlab.ErrUnauthorized):
		fmt.Fprintln(out, "   Revoked it: signing in with it now fails with 401 Unauthorized.")
	case err == nil:
		return errors.New("the revoked impersonation token still signs in")
	default:
		return fmt.Errorf("current user with the revoked token: %w", err)
	}

	// 8. Block, then delete.
	if _, err := client.Users.Block(ctx, user.ID); err != nil {
		return fmt.Errorf("block: %w", err)
	}
	blocked, _, err := client.Users.Get(ctx, user.ID, nil)
	if err != nil {
		return fmt.Errorf("get user: %w", err)
	}
	fmt.Fprintf(out, "8. Blocked @%s: state is now %q.\n", blocked.Username, blocked.State)
	if _, err := client.Users.Delete(ctx, user.ID, &gitlab.DeleteUserOptions{HardDelete: gitlab.Ptr(true)}); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	// GitLab deletes in the background: for a while the user may still
	// be found.
	switch _, _, err = client.Users.Get(ctx, user.ID, nil); {
	case errors.Is(err, gitlab.ErrNotFound):
		fmt.Fprintf(out, "   Deleted @%s: fetching it now fails with 404 Not Found.\n", user.Username)
	case err == nil:
		fmt.Fprintf(out, "   Deleted @%s: GitLab removes it in the background, so it can still be fetched for a while.\n", user.Username)
	default:
		return fmt.Errorf("get deleted user: %w", err)
	}
	fmt.Fprintln(out, "Done.")
	return nil
}

// newSSHKey returns a fresh ed25519 public key in OpenSSH's one-line
// format. Only the public half is kept: the key is for show.
func newSSHKey() (string, error) {
	pub, _, err := ed25519.GenerateKey(crand.Reader)
	if err != nil {
		return "", err
	}
	var wire []byte
	for _, field := range [][]byte{[]byte("ssh-ed25519"), pub} {
		wire = binary.BigEndian.AppendUint32(wire, uint32(len(field)))
		wire = append(wire, field...)
	}
	return "ssh-ed25519 " + base64.StdEncoding.EncodeToString(wire) + " quickstart", nil
}
