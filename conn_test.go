package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mixedAnswers(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasSuffix(r.URL.Path, "/missing"):
		w.WriteHeader(404)
		_, _ = w.Write([]byte(`{"message":"404 User Not Found"}`))
	case strings.HasSuffix(r.URL.Path, "/broken"):
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		_, _ = w.Write([]byte("<html>" + strings.Repeat("oops ", 20000) + "</html>"))
	case strings.HasSuffix(r.URL.Path, "/empty"):
		w.WriteHeader(204)
	default:
		_, _ = w.Write([]byte(`{"id":1,"name":"` + strings.Repeat("n", 5000) + `"}`))
	}
}

// Bodies are drained and closed, error answers included, so
// sequential calls share one connection.
func TestConnectionReuseSequential(t *testing.T) {
	srv := newRecordingServer(t, mixedAnswers)
	c, err := NewClient(testToken, WithBaseURL(srv.URL), WithoutRetries())
	require.NoError(t, err)
	ctx := context.Background()
	for i := range 200 {
		switch i % 4 {
		case 0:
			_, _, err = do[map[string]any](ctx, c, http.MethodGet, at("users", int64(1)), nil, nil)
			require.NoError(t, err)
		case 1:
			_, _, err = do[map[string]any](ctx, c, http.MethodGet, at("users", "missing"), nil, nil)
			require.ErrorIs(t, err, ErrNotFound)
		case 2:
			_, err = doNoValue(ctx, c, http.MethodGet, at("users", "broken"), nil, nil)
			require.Error(t, err)
		case 3:
			_, err = doNoValue(ctx, c, http.MethodDelete, at("users", "empty"), nil, nil)
			require.NoError(t, err)
		}
	}
	assert.Equal(t, int32(1), srv.opened.Load())
}

// 16 goroutines sharing one client settle on at most 16
// connections, and the client is race-free under concurrent use.
func TestConnectionReuseConcurrent(t *testing.T) {
	srv := newRecordingServer(t, mixedAnswers)
	c, err := NewClient(testToken, WithBaseURL(srv.URL), WithoutRetries())
	require.NoError(t, err)
	burst := func() {
		var wg sync.WaitGroup
		errs := make(chan error, 16*40)
		for g := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 40 {
					if (g+i)%5 == 0 {
						_, _, err := do[map[string]any](context.Background(), c, http.MethodGet, at("users", "missing"), nil, nil)
						if !errors.Is(err, ErrNotFound) {
							errs <- fmt.Errorf("want a 404, got %v", err)
						}
						continue
					}
					_, _, err := do[map[string]any](context.Background(), c, http.MethodGet, at("users", int64(g+1)), nil, []RequestOption{WithSudo(UserID(g + 1))})
					if err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
	burst()
	// The default transport never opens more than 16 per host, even while
	// warming up.
	assert.LessOrEqual(t, srv.opened.Load(), int32(16))
	settled := srv.opened.Load()
	burst()
	assert.Equal(t, settled, srv.opened.Load(), "a second burst dialled new connections")
	assert.LessOrEqual(t, srv.openConns(), int32(16))
	assert.Positive(t, srv.openConns())
}
