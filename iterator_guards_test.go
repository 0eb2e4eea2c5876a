package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// drain ranges over seq to its end (bounded by a 10 s ctx the caller
// made): the items and the errors, in order.
func drain[T any](t *testing.T, ctx context.Context, seq func(context.Context) func(func(T, error) bool)) ([]T, []error) {
	t.Helper()
	var items []T
	var errs []error
	for v, err := range seq(ctx) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, v)
		if len(items) > 1000 {
			t.Fatal("the iterator does not end")
		}
	}
	require.NoError(t, ctx.Err(), "the iterator ended by itself")
	return items, errs
}

// Defect 8 of issue 25: a server that ignores ?page, sends no X-Page and
// always announces a fresh next page (a new X-Next-Page or a new cursor
// link) made ListIter yield the same user for ever. A page whose body
// repeats one already received now ends the walk with an error; so does
// a server alternating between two pages.
func TestIteratorRepeatsOnePageForever(t *testing.T) {
	for name, answer := range map[string]func(w http.ResponseWriter, r *http.Request, n int32){
		"fresh X-Next-Page": func(w http.ResponseWriter, _ *http.Request, n int32) {
			w.Header().Set("X-Next-Page", strconv.Itoa(int(n)+1))
			_, _ = w.Write([]byte(`[{"id":7,"username":"same"}]`))
		},
		"fresh cursor link": func(w http.ResponseWriter, r *http.Request, n int32) {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v4/users?cursor=c%d&pagination=keyset>; rel="next"`, r.Host, n))
			_, _ = w.Write([]byte(`[{"id":7,"username":"same"}]`))
		},
		"two pages in turn": func(w http.ResponseWriter, _ *http.Request, n int32) {
			w.Header().Set("X-Next-Page", strconv.Itoa(int(n)+1))
			_, _ = fmt.Fprintf(w, `[{"id":%d}]`, 7+n%2)
		},
	} {
		t.Run(name, func(t *testing.T) {
			var n atomic.Int32
			srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) { answer(w, r, n.Add(1)) })
			c := fastClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			users, errs := drain(t, ctx, func(ctx context.Context) func(func(*User, error) bool) {
				return c.Users.ListIter(ctx, nil)
			})
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrUnexpectedResponse)
			assert.Contains(t, errs[0].Error(), "repeats a page")
			assert.LessOrEqual(t, len(users), 2, "each page's user once")
			assert.LessOrEqual(t, srv.count(), 4)
		})
	}
}

// associationsPage is a page of token associations: two groups (a full
// page at per_page=2, so the iterator asks for the next page by number)
// and one project, with IDs that say which page was sent.
func associationsPage(page int) string {
	return fmt.Sprintf(`{"groups":[{"id":%d1},{"id":%d2}],"projects":[{"id":%d3}]}`, page, page, page)
}

// Defect 13 of issue 25: ListCurrentAssociationsIter had its own loop
// and never checked X-Page, so a server answering page 1 to every
// request got 10,000 requests and 20,000 duplicates. It now uses the
// shared loop: a page that is not the one asked for, or that repeats an
// earlier body, ends it with an error.
func TestListCurrentAssociationsIterTakesAnyPage(t *testing.T) {
	for name, xPage := range map[string]bool{"X-Page 1": true, "no X-Page": false} {
		t.Run(name, func(t *testing.T) {
			srv := newRecordingServer(t, func(w http.ResponseWriter, _ *http.Request) {
				if xPage {
					w.Header().Set("X-Page", "1")
				}
				w.Header().Set("X-Per-Page", "2")
				_, _ = w.Write([]byte(associationsPage(1)))
			})
			c := fastClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			items, errs := drain(t, ctx, func(ctx context.Context) func(func(*TokenAssociation, error) bool) {
				return c.PersonalAccessTokens.ListCurrentAssociationsIter(ctx, &ListTokenAssociationsOptions{ListOptions: ListOptions{PerPage: 2}})
			})
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrUnexpectedResponse)
			assert.Len(t, items, 3, "page 1 once")
			assert.LessOrEqual(t, srv.count(), 3)
		})
	}
	// A well-behaved server: groups run a page longer than projects.
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		page := max(1, atoi(r.URL.Query().Get("page")))
		w.Header().Set("X-Page", strconv.Itoa(page))
		w.Header().Set("X-Per-Page", "2")
		switch page {
		case 1:
			w.Header().Set("X-Next-Page", "2")
			_, _ = w.Write([]byte(associationsPage(1)))
		case 2:
			_, _ = w.Write([]byte(`{"groups":[{"id":21},{"id":22}],"projects":[]}`))
		case 3:
			_, _ = w.Write([]byte(`{"groups":[{"id":31}],"projects":[]}`))
		default:
			t.Errorf("page %d asked for", page)
		}
	})
	c := fastClient(t, srv.URL)
	var ids []int64
	for a, err := range c.PersonalAccessTokens.ListCurrentAssociationsIter(context.Background(), &ListTokenAssociationsOptions{ListOptions: ListOptions{PerPage: 2}}) {
		require.NoError(t, err)
		if a.Group != nil {
			ids = append(ids, a.Group.ID)
		} else {
			ids = append(ids, a.Project.ID)
		}
	}
	assert.Equal(t, []int64{11, 12, 13, 21, 22, 31}, ids)
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// Guarantee of issue 25: a page whose X-Page is not the page asked for
// is an error, even when its body is new.
func TestIteratorXPageChecked(t *testing.T) {
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		page := max(1, atoi(r.URL.Query().Get("page")))
		w.Header().Set("X-Page", "1") // whatever was asked
		if page < 3 {
			w.Header().Set("X-Next-Page", strconv.Itoa(page+1))
		}
		_, _ = fmt.Fprintf(w, `[{"id":%d}]`, page)
	})
	ids, errs := collectItems(iterate[*item](context.Background(), fastClient(t, srv.URL), at("items"), &ListOptions{}, nil))
	assert.Equal(t, []int{1}, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrUnexpectedResponse)
	assert.Contains(t, errs[0].Error(), "asked for page 2, got page 1")
}

// Guarantee of issue 25: an empty page ends the walk without an error,
// whatever next page it announces.
func TestIteratorEmptyPageStops(t *testing.T) {
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		page := max(1, atoi(r.URL.Query().Get("page")))
		w.Header().Set("X-Page", strconv.Itoa(page))
		w.Header().Set("X-Next-Page", strconv.Itoa(page+1))
		if page >= 2 {
			_, _ = w.Write([]byte(`[]`))
			return
		}
		_, _ = w.Write([]byte(`[{"id":1}]`))
	})
	ids, errs := collectItems(iterate[*item](context.Background(), fastClient(t, srv.URL), at("items"), &ListOptions{}, nil))
	assert.Equal(t, []int{1}, ids)
	assert.Empty(t, errs)
	assert.Equal(t, 2, srv.count(), "nothing is asked for after the empty page")
}

// flagCtx is a context whose Err reports cancellation once cancelled is
// set, but whose Done never closes: the fetches the iterator derives
// from it are not cancelled, so a prefetched page is certain to arrive
// whole after the caller's ctx ended.
type flagCtx struct {
	context.Context
	cancelled atomic.Bool
}

func (c *flagCtx) Err() error {
	if c.cancelled.Load() {
		return context.Canceled
	}
	return nil
}

// Guarantee of issue 25: a page fetched before the caller's ctx ended
// is not handed out after it; the ctx's error is yielded instead.
func TestIteratorCtxCheckedAfterPrefetchedPage(t *testing.T) {
	srv := pagedServer(t, 4, 2, "offset", nil)
	c := fastClient(t, srv.URL)
	ctx := &flagCtx{Context: context.Background()}
	var ids []int
	var errs []error
	for it, err := range iterate[*item](ctx, c, at("items"), &ListOptions{PerPage: 2}, nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, it.ID)
		if it.ID == 2 {
			ctx.cancelled.Store(true)
		}
	}
	assert.Equal(t, []int{1, 2}, ids, "page 2, fetched whole, is not handed out")
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], context.Canceled), errs[0])
	assert.Equal(t, 2, srv.count(), "page 2 was fetched")
}
