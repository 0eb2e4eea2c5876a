package gitlab

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResponsePaginationHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("X-Total", "45")
	h.Set("X-Total-Pages", "3")
	h.Set("X-Per-Page", "20")
	h.Set("X-Page", "2")
	h.Set("X-Next-Page", "3")
	h.Set("X-Prev-Page", "1")
	h.Set("Link", `<https://h/api/v4/users?page=1&per_page=20>; rel="prev", <https://h/api/v4/users?page=3&per_page=20>; rel="next", <https://h/api/v4/users?page=1&per_page=20>; rel="first", <https://h/api/v4/users?page=3&per_page=20>; rel="last"`)
	r := newResponse(&http.Response{Header: h})
	assert.Equal(t, 45, r.TotalItems)
	assert.Equal(t, 3, r.TotalPages)
	assert.Equal(t, 20, r.ItemsPerPage)
	assert.Equal(t, 2, r.CurrentPage)
	assert.Equal(t, 3, r.NextPage)
	assert.Equal(t, 1, r.PrevPage)
	assert.Equal(t, "https://h/api/v4/users?page=3&per_page=20", r.NextLink)

	// Malformed or empty headers read as zero, never a panic.
	bad := http.Header{}
	bad.Set("X-Total", "lots")
	bad.Set("X-Total-Pages", "-4")
	bad.Set("X-Per-Page", "")
	bad.Set("X-Page", "99999999999999999999999")
	bad.Set("X-Next-Page", "")
	bad.Set("X-Prev-Page", " 2 ")
	bad.Set("Link", `garbage, <unterminated; rel="next", <https://h/x>; rel=next; title="a,b"`)
	r = newResponse(&http.Response{Header: bad})
	assert.Equal(t, Response{Response: r.Response, PrevPage: 2, NextLink: "https://h/x"}, *r)
}

func TestNextLink(t *testing.T) {
	cases := map[string]string{
		`<https://h/a>; rel="next"`:                          "https://h/a",
		`<https://h/a>; rel="prev", <https://h/b>; rel=next`: "https://h/b",
		`<https://h/a>; rel="first next"`:                    "https://h/a",
		`<https://h/a>;REL="NEXT"`:                           "https://h/a",
		`<https://h/a>; rel="last"`:                          "",
		`<https://h/a> rel="next"`:                           "",
		`https://h/a; rel="next"`:                            "",
		`<>; rel="next"`:                                     "",
		``:                                                   "",
		`<https://h/a>; rel`:                                 "",
	}
	for in, want := range cases {
		assert.Equal(t, want, nextLink([]string{in}), in)
	}
	assert.Equal(t, "https://h/2", nextLink([]string{`<https://h/1>; rel="prev"`, `<https://h/2>; rel="next"`}))
}

type item struct {
	ID int `json:"id"`
}

type itemOptions struct {
	ListOptions
	Search *string `url:"search,omitempty"`
}

// pagedServer serves items 1..total, perPage per page, with offset
// headers; linkStyle "offset" also sends Link, "keyset" sends only a Link
// with a cursor, "none" sends only X-Next-Page.
func pagedServer(t *testing.T, total, perPage int, linkStyle string, fail map[int]int) *recordingServer {
	t.Helper()
	var srv *recordingServer
	srv = newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if c := r.URL.Query().Get("cursor"); c != "" {
			page, _ = strconv.Atoi(c)
		}
		if page == 0 {
			page = 1
		}
		if code, ok := fail[page]; ok {
			w.WriteHeader(code)
			_, _ = w.Write([]byte(`{"message":"boom"}`))
			return
		}
		pages := (total + perPage - 1) / perPage
		next := ""
		if page < pages {
			next = strconv.Itoa(page + 1)
		}
		switch linkStyle {
		case "offset", "none":
			w.Header().Set("X-Page", strconv.Itoa(page))
			w.Header().Set("X-Next-Page", next)
			w.Header().Set("X-Total", strconv.Itoa(total))
			if linkStyle == "offset" && next != "" {
				w.Header().Set("Link", fmt.Sprintf(`<%s/api/v4/items?page=%s&per_page=%d&search=x>; rel="next"`, srv.URL, next, perPage))
			}
		case "keyset":
			if next != "" {
				w.Header().Set("Link", fmt.Sprintf(`<%s/api/v4/items?cursor=%s&pagination=keyset>; rel="next"`, srv.URL, next))
			}
		case "foreign":
			w.Header().Set("X-Page", strconv.Itoa(page))
			w.Header().Set("X-Next-Page", next)
			if next != "" {
				w.Header().Set("Link", `<https://evil.example/steal?page=2>; rel="next"`)
			}
		}
		var out []string
		for i := (page-1)*perPage + 1; i <= min(page*perPage, total); i++ {
			out = append(out, fmt.Sprintf(`{"id":%d}`, i))
		}
		_, _ = fmt.Fprintf(w, "[%s]", strings.Join(out, ","))
	})
	return srv
}

// collectItems ranges over seq to its end: the IDs of the items and the
// errors, in the order they came.
func collectItems(seq iter.Seq2[*item, error]) ([]int, []error) {
	return collectItemsCancelledAt(0, func(context.Context) iter.Seq2[*item, error] { return seq })
}

// collectItemsCancelledAt is collectItems over the iterator run makes,
// with its ctx cancelled as soon as the item with ID last is yielded (IDs
// start at 1: 0 never cancels).
func collectItemsCancelledAt(last int, run func(ctx context.Context) iter.Seq2[*item, error]) ([]int, []error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ids []int
	var errs []error
	for it, err := range run(ctx) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, it.ID)
		if it.ID == last {
			cancel()
		}
	}
	return ids, errs
}

// collectItemsBreakingAt ranges over seq, failing on an error, and
// breaks after the item with ID last.
func collectItemsBreakingAt(t *testing.T, last int, seq iter.Seq2[*item, error]) []int {
	t.Helper()
	var ids []int
	for it, err := range seq {
		require.NoError(t, err)
		ids = append(ids, it.ID)
		if it.ID == last {
			break
		}
	}
	return ids
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func TestIterateFollowsPages(t *testing.T) {
	for _, style := range []string{"offset", "none", "keyset", "foreign"} {
		srv := pagedServer(t, 7, 3, style, nil)
		c := fastClient(t, srv.URL)
		opt := &itemOptions{ListOptions: ListOptions{PerPage: 3}, Search: Ptr("x")}
		ids, errs := collectItems(iterate[*item](context.Background(), c, at("items"), opt, nil))
		assert.Empty(t, errs, style)
		assert.Equal(t, seq(7), ids, style)
		assert.Equal(t, 3, srv.count(), style)
		assert.Equal(t, &itemOptions{ListOptions: ListOptions{PerPage: 3}, Search: Ptr("x")}, opt, "%s: caller's options changed", style)
		assert.Equal(t, "per_page=3&search=x", srv.seen()[0].URL.RawQuery, style)
		switch style {
		case "keyset":
			assert.Equal(t, "cursor=2&pagination=keyset", srv.seen()[1].URL.RawQuery)
		case "foreign": // the foreign Link is ignored; X-Next-Page is used
			assert.Equal(t, "page=2&per_page=3&search=x", srv.seen()[1].URL.RawQuery)
		default:
			assert.Equal(t, "page=2&per_page=3&search=x", srv.seen()[1].URL.RawQuery, style)
		}
	}
}

func TestIterateStartsAtCallersPageAndNilOptions(t *testing.T) {
	srv := pagedServer(t, 50, 20, "none", nil)
	c := fastClient(t, srv.URL)
	ids, errs := collectItems(iterate[*item](context.Background(), c, at("items"), &ListOptions{Page: 2, PerPage: 20}, nil))
	assert.Empty(t, errs)
	assert.Equal(t, seq(50)[20:], ids)
	assert.Equal(t, 2, srv.count())

	ids, errs = collectItems(iterate[*item](context.Background(), c, at("items"), (*ListOptions)(nil), nil))
	assert.Empty(t, errs)
	assert.Len(t, ids, 50)
}

func TestIterateErrorYieldedOnce(t *testing.T) {
	srv := pagedServer(t, 9, 3, "offset", map[int]int{2: 404})
	c := fastClient(t, srv.URL)
	ids, errs := collectItems(iterate[*item](context.Background(), c, at("items"), &itemOptions{ListOptions: ListOptions{PerPage: 3}}, nil))
	assert.Equal(t, []int{1, 2, 3}, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrNotFound)
	assert.Equal(t, 2, srv.count())

	// Bad arguments are yielded once too, with no request.
	ids, errs = collectItems(iterate[*item](context.Background(), c, at("users", int64(-1), "keys"), &ListOptions{}, nil))
	assert.Empty(t, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrInvalidArgument)
	assert.Equal(t, 2, srv.count())
}

func TestIterateStopsWhenCallerBreaks(t *testing.T) {
	srv := pagedServer(t, 30, 5, "offset", nil)
	c := fastClient(t, srv.URL)
	got := collectItemsBreakingAt(t, 7, iterate[*item](context.Background(), c, at("items"), &ListOptions{PerPage: 5}, nil))
	assert.Equal(t, seq(7), got)
	// Page 3 may have been prefetched (and cancelled), never page 4.
	assert.LessOrEqual(t, srv.count(), 3)
	assert.GreaterOrEqual(t, srv.count(), 2)
}

func TestIterateStopsWhenContextDone(t *testing.T) {
	srv := pagedServer(t, 30, 5, "offset", nil)
	c := fastClient(t, srv.URL)
	got, errs := collectItemsCancelledAt(5, func(ctx context.Context) iter.Seq2[*item, error] {
		return iterate[*item](ctx, c, at("items"), &ListOptions{PerPage: 5}, nil)
	})
	assert.Equal(t, seq(5), got)
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], context.Canceled))
	assert.LessOrEqual(t, srv.count(), 2, "only the prefetch of page 2 may have started")
}

// A server that keeps pointing at the same page cannot loop the client.
func TestIterateHostileNextPage(t *testing.T) {
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Page", "1")
		w.Header().Set("X-Next-Page", "1")
		w.Header().Set("Link", fmt.Sprintf(`<http://%s/api/v4/items?page=1>; rel="next"`, r.Host))
		_, _ = w.Write([]byte(`[{"id":1}]`))
	})
	c := fastClient(t, srv.URL)
	ids, errs := collectItems(iterate[*item](context.Background(), c, at("items"), &ListOptions{}, nil))
	require.Len(t, errs, 1, "a link followed before ends the iteration with an error")
	assert.ErrorIs(t, errs[0], ErrUnexpectedResponse)
	assert.LessOrEqual(t, len(ids), 3)
	assert.LessOrEqual(t, srv.count(), 3)
}

// A break returns at once even while a prefetch is stuck on a slow
// server: the prefetch is cancelled, and waited for, so nothing leaks.
func TestIterateBreakCancelsPrefetch(t *testing.T) {
	var n atomic.Int32
	stuck := make(chan struct{})
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 1 {
			select { // hold page 2 until the client gives up on it
			case <-r.Context().Done():
				close(stuck)
			case <-time.After(10 * time.Second):
			}
			return
		}
		w.Header().Set("X-Next-Page", "2")
		_, _ = w.Write([]byte(`[{"id":1},{"id":2}]`))
	})
	c := fastClient(t, srv.URL)
	before := runtime.NumGoroutine()
	start := time.Now()
	for it, err := range iterate[*item](context.Background(), c, at("items"), &ListOptions{}, nil) {
		require.NoError(t, err)
		require.Equal(t, 1, it.ID)
		require.Eventually(t, func() bool { return n.Load() == 2 }, 5*time.Second, time.Millisecond, "page 2 was not prefetched")
		break
	}
	assert.Less(t, time.Since(start), 5*time.Second)
	select {
	case <-stuck:
	case <-time.After(5 * time.Second):
		t.Fatal("the prefetch of page 2 was not cancelled")
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before+2, "fetch goroutines outlived the iterator")
}

// pagedCounts serves items 1..total with X-Total-Pages, each page taking
// delay (the server's peakInFlight says how many were fetched at once).
func pagedCounts(t *testing.T, total, perPage int, delay time.Duration, fail map[int]int) *recordingServer {
	t.Helper()
	return newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		if code, ok := fail[page]; ok {
			w.WriteHeader(code)
			_, _ = w.Write([]byte(`{"message":"boom"}`))
			return
		}
		pages := (total + perPage - 1) / perPage
		w.Header().Set("X-Page", strconv.Itoa(page))
		w.Header().Set("X-Total-Pages", strconv.Itoa(pages))
		w.Header().Set("X-Total", strconv.Itoa(total))
		if page < pages {
			w.Header().Set("X-Next-Page", strconv.Itoa(page+1))
		}
		var out []string
		for i := (page-1)*perPage + 1; i <= min(page*perPage, total); i++ {
			out = append(out, fmt.Sprintf(`{"id":%d}`, i))
		}
		_, _ = fmt.Fprintf(w, "[%s]", strings.Join(out, ","))
	})
}

func TestIterateConcurrentPagesInOrder(t *testing.T) {
	srv := pagedCounts(t, 95, 10, 5*time.Millisecond, nil)
	c := fastClient(t, srv.URL, WithPageConcurrency(4))
	opt := &ListOptions{PerPage: 10}
	ids, errs := collectItems(iterate[*item](context.Background(), c, at("items"), opt, nil))
	assert.Empty(t, errs)
	assert.Equal(t, seq(95), ids, "in order, no gaps, no duplicates")
	assert.Equal(t, 10, srv.count(), "each page fetched once")
	assert.LessOrEqual(t, srv.peakInFlight(), int32(4), "at most n pages in flight")
	assert.Greater(t, srv.peakInFlight(), int32(1), "pages were fetched in parallel")
	assert.Equal(t, &ListOptions{PerPage: 10}, opt)
}

func TestIterateConcurrentErrorAndBreak(t *testing.T) {
	srv := pagedCounts(t, 100, 10, time.Millisecond, map[int]int{4: 500})
	c := fastClient(t, srv.URL, WithPageConcurrency(3), WithoutRetries())
	ids, errs := collectItems(iterate[*item](context.Background(), c, at("items"), &ListOptions{PerPage: 10}, nil))
	assert.Equal(t, seq(30), ids, "items before the failing page, in order")
	require.Len(t, errs, 1)
	var er *ErrorResponse
	require.ErrorAs(t, errs[0], &er)
	assert.Equal(t, 500, er.StatusCode)
	assert.LessOrEqual(t, srv.count(), 7, "no page beyond the window was requested")

	got := collectItemsBreakingAt(t, 15, iterate[*item](context.Background(), c, at("items"), &ListOptions{PerPage: 10}, nil))
	assert.Equal(t, seq(15), got)

	after, ctxErrs := collectItemsCancelledAt(10, func(ctx context.Context) iter.Seq2[*item, error] {
		return iterate[*item](ctx, c, at("items"), &ListOptions{PerPage: 10}, nil)
	})
	assert.Equal(t, seq(10), after)
	require.Len(t, ctxErrs, 1)
	assert.ErrorIs(t, ctxErrs[0], context.Canceled)
}

// Without a page count (keyset, or above 10,000 rows) concurrency falls
// back to one page at a time.
func TestIterateConcurrencyNeedsTotal(t *testing.T) {
	srv := pagedServer(t, 12, 5, "keyset", nil)
	c := fastClient(t, srv.URL, WithPageConcurrency(4))
	ids, errs := collectItems(iterate[*item](context.Background(), c, at("items"), &ListOptions{PerPage: 5}, nil))
	assert.Empty(t, errs)
	assert.Equal(t, seq(12), ids)
	assert.Equal(t, 3, srv.count())
	_, err := NewClient("t", WithPageConcurrency(0))
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

// A keyset Link that leads off the API root is not followed, and the
// iterator says so instead of ending as if the list were complete.
func TestIterateForeignKeysetLinkIsAnError(t *testing.T) {
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<https://gitlab.internal/api/v4/items?cursor=abc&private_token=`+testToken+`>; rel="next"`)
		_, _ = w.Write([]byte(`[{"id":1}]`))
	})
	c := fastClient(t, srv.URL)
	ids, errs := collectItems(iterate[*item](context.Background(), c, at("items"), &ListOptions{}, nil))
	assert.Equal(t, []int{1}, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrUnexpectedResponse)
	assert.Contains(t, errs[0].Error(), "https://gitlab.internal/api/v4/items?cursor=abc&private_token=REDACTED")
	assert.NotContains(t, errs[0].Error(), testToken)

	// Breaking on that page's last item ends quietly (no yield after a
	// break, which would panic).
	for _, err := range iterate[*item](context.Background(), c, at("items"), &ListOptions{}, nil) {
		require.NoError(t, err)
		break
	}
}
