package gitlabtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// TestUserRunnerTokenExpiry: POST /user/runners takes EE's
// token_expires_at and token_rotation_deadline, checks them as
// Ci::Runners::CreateRunnerService does and answers the expiry.
func TestUserRunnerTokenExpiry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	s := gitlabtest.NewServer(gitlabtest.WithClock(func() time.Time { return now }))
	defer s.Close()
	c := s.Client(gitlab.WithoutRetries())
	ctx := context.Background()
	at := func(d time.Duration) *time.Time { return gitlab.Ptr(now.Add(d)) }
	day := 24 * time.Hour
	opt := func(expires, deadline *time.Time) *gitlab.CreateUserRunnerOptions {
		return &gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr(gitlab.RunnerTypeInstance),
			TokenExpiresAt: expires, TokenRotationDeadline: deadline}
	}

	r, _, err := c.Users.CreateRunner(ctx, opt(at(10*day), at(5*day)))
	require.NoError(t, err)
	assert.Equal(t, at(10*day), r.TokenExpiresAt)
	r, _, err = c.Users.CreateRunner(ctx, opt(nil, nil))
	require.NoError(t, err)
	assert.Nil(t, r.TokenExpiresAt, "no expiry asked, none configured")

	for _, c2 := range []struct {
		expires, deadline *time.Time
		message           string
	}{
		{at(time.Minute), nil, "token_expires_at must be at least 5 minutes in the future"},
		{at(16 * day), nil, "token_expires_at is too far in the future (maximum is 2026-12-20T10:00:00Z)"},
		{nil, at(day), "token_expires_at is required when token_rotation_deadline is specified"},
		{at(10 * day), at(-time.Hour), "token_rotation_deadline cannot be in the past"},
		{at(10 * day), at(11 * day), "token_rotation_deadline must be less than or equal to token_expires_at"},
	} {
		_, _, err := c.Users.CreateRunner(ctx, opt(c2.expires, c2.deadline))
		var e *gitlab.ErrorResponse
		require.ErrorAs(t, err, &e)
		assert.Equal(t, [2]any{400, "400 Bad request - " + c2.message}, [2]any{e.StatusCode, e.Message})
	}
	a := fakeCall(t, s, s.AdminToken(), "POST", "/user/runners",
		map[string][]string{"runner_type": {"instance_type"}, "token_expires_at": {"soon"}})
	assert.Equal(t, `400 {"error":"token_expires_at is invalid"}`, a.status())
}

// TestCreateRunnerScope: POST /user/runners takes a token with the
// create_runner scope alone, as lib/api/user_runners.rb allows
// (allow_access_with_scope :create_runner, if: post?), and refuses one
// with neither api nor create_runner.
func TestCreateRunnerScope(t *testing.T) {
	t.Parallel()
	s := gitlabtest.NewServer()
	defer s.Close()
	ctx := context.Background()
	id, _ := s.CreateUser(gitlabtest.UserSpec{Username: "maker"})
	proj := s.CreateProject(gitlabtest.ProjectSpec{Path: "p", GroupID: s.CreateGroup(gitlabtest.GroupSpec{Path: "g"}), Maintainers: []int64{id}})
	opt := &gitlab.CreateUserRunnerOptions{RunnerType: gitlab.Ptr(gitlab.RunnerTypeProject), ProjectID: gitlab.Ptr(proj)}

	r, _, err := s.ClientFor(s.CreatePersonalToken(id, "create_runner"), gitlab.WithoutRetries()).Users.CreateRunner(ctx, opt)
	require.NoError(t, err)
	assert.Regexp(t, `^glrt-`, r.Token.Value())

	_, _, err = s.ClientFor(s.CreatePersonalToken(id, "read_api"), gitlab.WithoutRetries()).Users.CreateRunner(ctx, opt)
	var e *gitlab.ErrorResponse
	require.ErrorAs(t, err, &e)
	assert.Equal(t, [2]any{403, "insufficient_scope: The request requires higher privileges than provided by the access token."}, [2]any{e.StatusCode, e.Message})
	assert.Len(t, s.Runners(), 1)
}
