package gitlab

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const newSecret = "glpat-NEW-secret-4f1c2e9a77"

// rotated is a rotate or create answer carrying newSecret.
const rotated = `{"id":43,"name":"ci","revoked":false,"active":true,"scopes":["api"],"user_id":5,` +
	`"created_at":"2025-03-14T09:26:53Z","expires_at":"2025-03-21","token":"` + newSecret + `"}`

// tokenWrites are the token methods that issue a secret: none of them
// may be sent twice when GitLab may have acted.
func tokenWrites() map[string]func(*Client) error {
	ctx := context.Background()
	tok := &CreatePersonalAccessTokenOptions{Name: Ptr("ci"), Scopes: []string{ScopeAPI}}
	return map[string]func(*Client) error{
		"Rotate": func(c *Client) error {
			_, _, err := c.PersonalAccessTokens.Rotate(ctx, 42, nil)
			return err
		},
		"RotateCurrent": func(c *Client) error {
			_, _, err := c.PersonalAccessTokens.RotateCurrent(ctx, nil)
			return err
		},
		"Create": func(c *Client) error {
			_, _, err := c.PersonalAccessTokens.Create(ctx, &CreatePersonalAccessTokenOptions{Name: Ptr("ci"), Scopes: []string{ScopeSelfRotate}})
			return err
		},
		"CreateForUser": func(c *Client) error {
			_, _, err := c.PersonalAccessTokens.CreateForUser(ctx, 5, tok)
			return err
		},
		"RotateTokenForGroup": func(c *Client) error {
			_, _, err := c.ServiceAccounts.RotateTokenForGroup(ctx, GroupPath("a/b"), 5, 42, nil)
			return err
		},
		"CreateTokenForGroup": func(c *Client) error {
			_, _, err := c.ServiceAccounts.CreateTokenForGroup(ctx, GroupID(3), 5, tok)
			return err
		},
		"RotateTokenForProject": func(c *Client) error {
			_, _, err := c.ServiceAccounts.RotateTokenForProject(ctx, ProjectID(7), 5, 42, nil)
			return err
		},
		"CreateTokenForProject": func(c *Client) error {
			_, _, err := c.ServiceAccounts.CreateTokenForProject(ctx, ProjectPath("a/b"), 5, tok)
			return err
		},
		"AccessTokens.Create": func(c *Client) error {
			_, _, err := c.AccessTokens.Create(ctx, GroupID(3), &CreateAccessTokenOptions{Name: Ptr("ci"), Scopes: []string{ScopeAPI}})
			return err
		},
		"AccessTokens.Rotate": func(c *Client) error {
			_, _, err := c.AccessTokens.Rotate(ctx, ProjectPath("a/b"), 42, nil)
			return err
		},
		"AccessTokens.RotateCurrent": func(c *Client) error {
			_, _, err := c.AccessTokens.RotateCurrent(ctx, GroupPath("a/b"), nil)
			return err
		},
	}
}

// A rotation answered 502, or whose connection drops after the request
// was sent, may have happened: it is sent exactly once, even with
// retries on, and the error carries no secret.
func TestTokenWritesNeverRetriedWhenAmbiguous(t *testing.T) {
	for name, call := range tokenWrites() {
		for _, step := range []struct {
			name string
			h    http.HandlerFunc
		}{
			{"502", reply(502, `<html><body><h1>502 Bad Gateway</h1></body></html>`)},
			{"dropped", hangUp},
			{"500", reply(500, `{"message":"500 Internal Server Error"}`)},
		} {
			srv, n := tokenServer(t, step.h, reply(200, rotated))
			c := fastClient(t, srv.URL, WithRetryMax(5))
			err := call(c)
			require.Error(t, err, "%s %s", name, step.name)
			assert.Equal(t, 1, n(), "%s %s: the request reached the server once", name, step.name)
			assert.NotContains(t, err.Error(), newSecret)
		}
	}
}

// A rotation refused before it reached GitLab (429, a refused
// connection) is retried: GitLab did not act.
func TestTokenWritesRetriedWhenGitLabDidNotAct(t *testing.T) {
	srv, n := tokenServer(t, reply(429, `{"message":{"error":"slow down"}}`, "Retry-After", "0"), reply(200, rotated))
	c := fastClient(t, srv.URL)
	tok, _, err := c.PersonalAccessTokens.Rotate(context.Background(), 42, nil)
	require.NoError(t, err)
	assert.Equal(t, newSecret, tok.Token.Value())
	assert.Equal(t, 2, n())

	srv, n = tokenServer(t, reply(200, rotated))
	f := &flakyDial{}
	f.fails.Store(1)
	c = fastClient(t, srv.URL, WithHTTPClient(&http.Client{Transport: f.transport()}))
	tok, _, err = c.PersonalAccessTokens.Rotate(context.Background(), 42, nil)
	require.NoError(t, err)
	assert.Equal(t, newSecret, tok.Token.Value())
	assert.Equal(t, 1, n())
}

// Revoke is a DELETE: repeating it cannot issue or lose a secret, so it
// is retried on gateway errors.
func TestRevokeRetried(t *testing.T) {
	srv, n := tokenServer(t, reply(502, `{}`), hangUp, reply(204, ``))
	c := fastClient(t, srv.URL)
	_, err := c.PersonalAccessTokens.Revoke(context.Background(), 42)
	require.NoError(t, err)
	assert.Equal(t, 3, n())
}

// tokenServer is a real server answering request i with steps[i] (the
// last repeats), and a count of the requests it received.
func tokenServer(t *testing.T, steps ...http.HandlerFunc) (*recordingServer, func() int) {
	s := newRecordingServer(t, inTurn(steps...))
	return s, s.count
}

// The new secret is in the returned token's Token field and nowhere
// else: not in the client's debug log, not in an error about a body that
// could not be read, not when the caller logs or prints the token.
func TestNewSecretInNoErrorOrLog(t *testing.T) {
	var logs logBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	srv, _ := tokenServer(t, reply(502, `{}`), reply(200, rotated))
	c := fastClient(t, srv.URL, WithLogger(logger))
	// A GET first (retried once), so the log has records to look at.
	cur, _, err := c.PersonalAccessTokens.Current(context.Background())
	require.NoError(t, err)
	require.Equal(t, newSecret, cur.Token.Value(), "a token in any answer is decoded, and redacted in the log as below")
	srv, _ = tokenServer(t, reply(200, rotated))
	c = fastClient(t, srv.URL, WithLogger(logger))
	tok, _, err := c.PersonalAccessTokens.Rotate(context.Background(), 42, &RotatePersonalAccessTokenOptions{})
	require.NoError(t, err)
	require.Equal(t, newSecret, tok.Token.Value())

	// The caller logs and prints the token: REDACTED.
	logger.Info("rotated", "token", tok)
	logger.Debug("rotated", slog.Any("token", tok))
	assert.NotContains(t, logs.String(), newSecret)
	assert.Contains(t, logs.String(), `"token":"REDACTED"`)
	assert.Contains(t, logs.String(), `"gitlab: request"`)

	// A body cut short or malformed: the error names the type, not the
	// content.
	for _, body := range []string{
		`{"id":43,"token":"` + newSecret + `"`,
		`{"id":43,"token":"` + newSecret + `", oops}`,
		`{"id":"forty-three","token":"` + newSecret + `"}`,
	} {
		srv, _ = tokenServer(t, reply(200, body))
		c = fastClient(t, srv.URL, WithLogger(logger))
		_, _, err = c.PersonalAccessTokens.Rotate(context.Background(), 42, nil)
		require.ErrorIs(t, err, ErrUnexpectedResponse)
		assert.NotContains(t, err.Error(), newSecret, body)
	}
	assert.NotContains(t, logs.String(), newSecret)
	assert.False(t, strings.Contains(logs.String(), "glpat-NEW"))
}
