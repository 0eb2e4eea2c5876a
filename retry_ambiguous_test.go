package gitlab_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// faultOnce makes the next request to srv fail with kind (after GitLab
// applied it, for the AfterApply kinds) and every later one succeed: the
// fault is switched off as soon as the first answer, or its absence,
// comes back. It returns a client with retries on and the server's
// request counter reset.
func faultOnce(t *testing.T, srv *gitlabtest.Server, token string, kind gitlabtest.FaultKind) *gitlab.Client {
	t.Helper()
	srv.ResetCounters()
	srv.Configure(gitlabtest.WithFaults(1, 1, kind))
	var done atomic.Bool
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := http.DefaultTransport.RoundTrip(r)
		if done.CompareAndSwap(false, true) {
			srv.Configure(gitlabtest.WithFaults(0, 1))
		}
		return resp, err
	})
	return srv.ClientFor(token,
		gitlab.WithHTTPClient(&http.Client{Transport: rt}),
		gitlab.WithRetryMax(4),
		gitlab.WithRetryWait(time.Millisecond, 5*time.Millisecond))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// ambiguous asserts that err reports an outcome the caller must check (a
// 5xx or no answer), never a status below 500, which SECURITY.md says
// means "not applied".
func ambiguous(t *testing.T, err error, msgAndArgs ...any) {
	t.Helper()
	require.Error(t, err, msgAndArgs...)
	var er *gitlab.ErrorResponse
	if errors.As(err, &er) {
		assert.GreaterOrEqual(t, er.StatusCode, 500, msgAndArgs...)
	}
}

// Defect 5 of issue 25: Approve, Unban, Ban, DisableTwoFactor and
// GPGKeys.Revoke/RevokeForUser were retried on 5xx and dropped
// connections, and GitLab refuses their repeat (409, 403, 403, 400,
// 404). When the answer to an applied first attempt was lost, the caller
// got that 4xx, which reads as "not applied". They are now sent once
// when GitLab may have acted: the caller gets the ambiguous error and
// the write is applied exactly once.
func TestRetriedActionReportsAppliedWriteAsRefused(t *testing.T) {
	ctx := context.Background()
	srv := gitlabtest.NewServer()
	defer srv.Close()
	admin := srv.AdminToken()

	cases := []struct {
		name    string
		seed    func() (token string, call func(*gitlab.Client) error)
		applied func() bool
	}{}
	var uid, keyID int64
	var seq int
	name := func(base string) string { seq++; return fmt.Sprintf("%s%d", base, seq) }
	add := func(name string, seed func() (string, func(*gitlab.Client) error), applied func() bool) {
		cases = append(cases, struct {
			name    string
			seed    func() (token string, call func(*gitlab.Client) error)
			applied func() bool
		}{name, seed, applied})
	}
	state := func(want gitlab.UserState) func() bool {
		return func() bool { u, _ := srv.User(uid); return u.State == want }
	}
	add("Approve", func() (string, func(*gitlab.Client) error) {
		uid, _ = srv.CreateUser(gitlabtest.UserSpec{Username: name("pending"), State: gitlabtest.StateBlockedPendingApproval})
		return admin, func(c *gitlab.Client) error { _, err := c.Users.Approve(ctx, uid); return err }
	}, state(gitlabtest.StateActive))
	add("Unban", func() (string, func(*gitlab.Client) error) {
		uid, _ = srv.CreateUser(gitlabtest.UserSpec{Username: name("banned"), State: gitlabtest.StateBanned})
		return admin, func(c *gitlab.Client) error { _, err := c.Users.Unban(ctx, uid); return err }
	}, state(gitlabtest.StateActive))
	add("Ban", func() (string, func(*gitlab.Client) error) {
		uid, _ = srv.CreateUser(gitlabtest.UserSpec{Username: name("active")})
		return admin, func(c *gitlab.Client) error { _, err := c.Users.Ban(ctx, uid); return err }
	}, state(gitlabtest.StateBanned))
	add("DisableTwoFactor", func() (string, func(*gitlab.Client) error) {
		uid, _ = srv.CreateUser(gitlabtest.UserSpec{Username: name("otp"), TwoFactorEnabled: true})
		return admin, func(c *gitlab.Client) error { _, err := c.Users.DisableTwoFactor(ctx, uid); return err }
	}, func() bool { u, _ := srv.User(uid); return !u.TwoFactorEnabled })
	add("GPGKeys.Revoke", func() (string, func(*gitlab.Client) error) {
		var tok string
		uid, tok = srv.CreateUser(gitlabtest.UserSpec{Username: name("signer")})
		keyID = srv.AddGPGKey(uid, gitlabtest.FakeGPGKey(name("k")))
		return tok, func(c *gitlab.Client) error { _, err := c.GPGKeys.Revoke(ctx, keyID); return err }
	}, func() bool { return len(srv.GPGKeys(uid)) == 0 })
	add("GPGKeys.RevokeForUser", func() (string, func(*gitlab.Client) error) {
		uid, _ = srv.CreateUser(gitlabtest.UserSpec{Username: name("signer2")})
		keyID = srv.AddGPGKey(uid, gitlabtest.FakeGPGKey(name("k")))
		return admin, func(c *gitlab.Client) error { _, err := c.GPGKeys.RevokeForUser(ctx, uid, keyID); return err }
	}, func() bool { return len(srv.GPGKeys(uid)) == 0 })

	for _, tc := range cases {
		for _, kind := range []gitlabtest.FaultKind{gitlabtest.FaultStatus502AfterApply, gitlabtest.FaultDropAfterApply} {
			token, call := tc.seed()
			err := call(faultOnce(t, srv, token, kind))
			ambiguous(t, err, "%s %s: %v", tc.name, kind, err)
			assert.True(t, tc.applied(), "%s %s: the first attempt applied it", tc.name, kind)
			assert.Equal(t, 1, srv.RequestCount(), "%s %s: sent once", tc.name, kind)
		}
		// A fault before GitLab acted is also a 5xx: not retried either,
		// and the write is not applied; the caller checks and calls again.
		token, call := tc.seed()
		err := call(faultOnce(t, srv, token, gitlabtest.FaultStatus502))
		ambiguous(t, err, tc.name)
		assert.False(t, tc.applied(), tc.name)
		require.NoError(t, call(srv.ClientFor(token)), "%s: calling again applies it", tc.name)
		assert.True(t, tc.applied(), tc.name)
	}
}

// Defect 5, DELETEs: a DELETE is retried, and when the answer to an
// applied first attempt is lost the retry finds nothing and answers 404.
// SECURITY.md documents it: a 404 to a DELETE with Attempts above 1 may
// be this call's own earlier attempt (GitLab's 404 also means "not
// visible to you", so it cannot be read as success).
func TestRetriedDeleteAnswers404AfterAppliedAttempt(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	uid, _ := srv.CreateUser(gitlabtest.UserSpec{Username: "keyed"})
	kid := srv.AddSSHKey(uid, "laptop", gitlabtest.FakeSSHKey("laptop"))
	_, err := faultOnce(t, srv, srv.AdminToken(), gitlabtest.FaultStatus502AfterApply).SSHKeys.DeleteForUser(context.Background(), uid, kid)
	var er *gitlab.ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.ErrorIs(t, err, gitlab.ErrNotFound)
	assert.Equal(t, 2, er.Attempts, "the 404 says it came after a retry")
	assert.Empty(t, srv.SSHKeys(uid), "the first attempt deleted it")
}

// Guarantee of issue 25: PATCH is not safe to repeat unless a method
// marks it so. ServiceAccounts.Update answered 502 after GitLab applied
// it is sent once, with retries on.
func TestPatchNotRetriedWhenAmbiguous(t *testing.T) {
	srv := gitlabtest.NewServer()
	defer srv.Close()
	sa, _ := srv.CreateServiceAccount(gitlabtest.UserSpec{Username: "bot"})
	for _, kind := range []gitlabtest.FaultKind{gitlabtest.FaultStatus502AfterApply, gitlabtest.FaultDropAfterApply, gitlabtest.FaultStatus500} {
		c := faultOnce(t, srv, srv.AdminToken(), kind)
		_, _, err := c.ServiceAccounts.Update(context.Background(), sa, &gitlab.UpdateServiceAccountOptions{Name: gitlab.Ptr("Bot " + kind.String())})
		ambiguous(t, err, kind)
		assert.Equal(t, 1, srv.RequestCount(), "%s: sent once", kind)
	}
}
