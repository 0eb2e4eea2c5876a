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
