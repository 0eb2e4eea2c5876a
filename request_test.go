package gitlab

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A PUT or POST whose options encode to nothing carries
// "Content-Length: 0", not an empty chunked body, which some proxies
// refuse with 411 Length Required. The request is read off the wire, as
// a proxy would see it.
func TestEmptyBodySendsContentLengthZero(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	got := make(chan *http.Request, 8)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					got <- req
					_, _ = conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"id\":25}"))
				}
			}()
		}
	}()
	c, err := NewClient(testToken, WithBaseURL("http://"+ln.Addr().String()), WithoutRetries())
	require.NoError(t, err)
	ctx := context.Background()

	calls := map[string]func() error{
		"Users.Update with empty options": func() error {
			_, _, err := c.Users.Update(ctx, 25, &UpdateUserOptions{})
			return err
		},
		"Users.Update with nil options": func() error {
			_, _, err := c.Users.Update(ctx, 25, nil)
			return err
		},
		"Status.Set(ctx, nil)": func() error {
			_, _, err := c.Status.Set(ctx, nil)
			return err
		},
		"Users.Block": func() error {
			_, err := c.Users.Block(ctx, 25)
			return err
		},
	}
	for name, call := range calls {
		require.NoError(t, call(), name)
		req := <-got
		assert.Equal(t, int64(0), req.ContentLength, name)
		assert.Empty(t, req.TransferEncoding, name)
		assert.Equal(t, []string{"0"}, req.Header["Content-Length"], name)
	}
}

// The calls GitLab answers 204 No Content: each sends DELETE to exactly
// its path, with no query, and hands back the response without an error.
func TestNoContentCalls(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		call       func(ctx context.Context, c *Client) (*Response, error)
	}{
		{"SSHKeys.Delete", "/user/keys/3", func(ctx context.Context, c *Client) (*Response, error) { return c.SSHKeys.Delete(ctx, 3) }},
		{"SSHKeys.DeleteForUser", "/users/42/keys/3", func(ctx context.Context, c *Client) (*Response, error) {
			return c.SSHKeys.DeleteForUser(ctx, 42, 3)
		}},
		{"GPGKeys.Delete", "/user/gpg_keys/1", func(ctx context.Context, c *Client) (*Response, error) { return c.GPGKeys.Delete(ctx, 1) }},
		{"GPGKeys.DeleteForUser", "/users/2/gpg_keys/1", func(ctx context.Context, c *Client) (*Response, error) {
			return c.GPGKeys.DeleteForUser(ctx, 2, 1)
		}},
		{"Emails.Delete", "/user/emails/3", func(ctx context.Context, c *Client) (*Response, error) { return c.Emails.Delete(ctx, 3) }},
		{"Emails.DeleteForUser", "/users/42/emails/3", func(ctx context.Context, c *Client) (*Response, error) {
			return c.Emails.DeleteForUser(ctx, 42, 3)
		}},
		{"ImpersonationTokens.Revoke", "/users/42/impersonation_tokens/2", func(ctx context.Context, c *Client) (*Response, error) {
			return c.ImpersonationTokens.Revoke(ctx, 42, 2)
		}},
		{"PersonalAccessTokens.Revoke", "/personal_access_tokens/4", func(ctx context.Context, c *Client) (*Response, error) {
			return c.PersonalAccessTokens.Revoke(ctx, 4)
		}},
		{"PersonalAccessTokens.RevokeCurrent", "/personal_access_tokens/self", func(ctx context.Context, c *Client) (*Response, error) {
			return c.PersonalAccessTokens.RevokeCurrent(ctx)
		}},
		{"CustomAttributes.Delete", "/users/2/custom_attributes/location", func(ctx context.Context, c *Client) (*Response, error) {
			return c.CustomAttributes.Delete(ctx, 2, "location")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			mock("DELETE", tc.path).AddMatcher(exactQuery("")).Reply(204)

			resp, err := tc.call(context.Background(), c)
			require.NoError(t, err)
			require.Equal(t, http.StatusNoContent, resp.StatusCode)
		})
	}
}
