package gitlab

import (
	"cmp"
	"context"
	"fmt"
	"hash/maphash"
	"iter"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Response wraps the HTTP answer with GitLab's pagination headers. A
// header that is missing or malformed reads as zero (or "").
//
// GitLab API docs: https://docs.gitlab.com/api/rest/#pagination-link-header
type Response struct {
	*http.Response

	// TotalItems (X-Total) and TotalPages (X-Total-Pages) are zero when
	// GitLab omits them, as it does above 10,000 rows and for keyset
	// pagination.
	TotalItems   int
	TotalPages   int
	ItemsPerPage int // X-Per-Page
	CurrentPage  int // X-Page
	NextPage     int // X-Next-Page; zero on the last page
	PrevPage     int // X-Prev-Page; zero on the first page
	// NextLink is the URL of the next page from the Link header
	// (rel="next"), the only way forward with keyset pagination.
	NextLink string
}

func newResponse(r *http.Response) *Response {
	resp := &Response{Response: r}
	h := r.Header
	resp.TotalItems = headerInt(h, "X-Total")
	resp.TotalPages = headerInt(h, "X-Total-Pages")
	resp.ItemsPerPage = headerInt(h, "X-Per-Page")
	resp.CurrentPage = headerInt(h, "X-Page")
	resp.NextPage = headerInt(h, "X-Next-Page")
	resp.PrevPage = headerInt(h, "X-Prev-Page")
	if links := h.Values("Link"); len(links) > 0 {
		resp.NextLink = nextLink(links)
	}
	return resp
}

// headerInt reads a non-negative integer header; anything else is 0.
func headerInt(h http.Header, key string) int {
	v := h.Get(key)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// nextLink returns the URL of the rel="next" entry of RFC 8288 Link
// headers such as `<https://host/api/v4/users?page=2>; rel="next"`.
func nextLink(values []string) string {
	for _, v := range values {
		for entry := range strings.SplitSeq(v, ",") {
			entry = strings.TrimSpace(entry)
			if !strings.HasPrefix(entry, "<") {
				continue
			}
			end := strings.IndexByte(entry, '>')
			if end < 0 {
				continue
			}
			link, params := entry[1:end], strings.TrimSpace(entry[end+1:])
			if link == "" || strings.ContainsRune(link, '<') || !strings.HasPrefix(params, ";") {
				continue
			}
			for param := range strings.SplitSeq(params[1:], ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(param), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for rel := range strings.FieldsSeq(strings.Trim(strings.TrimSpace(val), `"`)) {
					if strings.EqualFold(rel, "next") {
						return link
					}
				}
			}
		}
	}
	return ""
}

// underBase reports whether link points into this client's API root, so
// that following it sends credentials nowhere else. The path is compared
// as a server resolves it (see insideRoot).
func (c *Client) underBase(link string) bool {
	u, err := url.Parse(link)
	if err != nil || u.User != nil || u.Fragment != "" {
		return false
	}
	if u.Scheme != c.base.Scheme || !strings.EqualFold(u.Host, c.base.Host) {
		return false
	}
	return c.insideRoot(u.EscapedPath())
}

// insideRoot reports whether the escaped URL path p lies in the client's
// API root as a server may resolve it: percent-decoded (so %2e%2e and
// %2F count as ".." and "/"), dot segments removed, and no backslash
// (which some servers read as "/"). It is the one check of both the
// pagination links the iterators follow and the paths of NewRequest.
func (c *Client) insideRoot(p string) bool {
	d, err := url.PathUnescape(p)
	if err != nil || strings.Contains(d, "\\") {
		return false
	}
	return strings.HasPrefix(path.Clean("/"+d)+"/", c.base.Path)
}

// trustedPageCount reports whether r's X-Total-Pages can be GitLab's:
// GitLab counts only lists of at most 10,000 rows, and the page count
// follows from X-Total and the page size (X-Per-Page, else the n items
// of this page, which is not the last).
func trustedPageCount(r *Response, n int) bool {
	perPage := cmp.Or(r.ItemsPerPage, n)
	return r.TotalPages > 0 && r.TotalItems > 0 && r.TotalItems <= 10000 && perPage > 0 &&
		r.TotalPages <= (r.TotalItems+perPage-1)/perPage
}

// target is a page to fetch: by its next-page link, else by number (0:
// the caller's own Page, or GitLab's first).
type target struct {
	page int
	link string
}

// step says which page follows r, the answer to the request for cur:
// Link rel="next" when it points into the API root, else X-Next-Page
// when it is past the current page. A
// next link leading off the API root, with no X-Next-Page to fall back
// on, is an error (keyset pagination behind a host name GitLab does not
// know): following it would send credentials elsewhere, and stopping
// silently would truncate the list.
func (c *Client) step(cur target, r *Response) (next target, more bool, err error) {
	switch {
	case r.NextLink != "" && c.underBase(r.NextLink):
		return target{link: r.NextLink}, true, nil
	case r.NextPage > max(cur.page, r.CurrentPage):
		return target{page: r.NextPage}, true, nil
	case r.NextLink != "" && !c.underBase(r.NextLink):
		return target{}, false, fmt.Errorf("%w: the next page's link %s is outside the base URL %s and is not followed, so credentials stay on the base host; set WithBaseURL to GitLab's external URL",
			ErrUnexpectedResponse, c.secrets.url(mustParse(r.NextLink)), c.baseURL)
	}
	return target{}, false, nil
}

// page is one fetched page, or why it could not be fetched.
type page[T any] struct {
	target
	items []T
	resp  *Response
	err   error
	sum   uint64 // hash of the body, to recognise a page sent before
	more  bool   // the body asks for the next page by number (pager.more)
}

// pager says how an iterator reads the body of one page, a P: items
// lists what it yields, and more, when not nil, says that a page asks
// for the next one by number although its headers do not (see
// ListCurrentAssociationsIter). sparse says that GitLab filters the
// list after cutting its pages, so an empty page does not end it (see
// iterateSparse).
type pager[T, P any] struct {
	items  func(*P) []T
	more   func(*P, *Response) bool
	sparse bool
}

// pageBody is a page's decoded body with a hash of its bytes, by which
// the iterator recognises a page it was sent before (decodeJSON calls
// sumBody).
type pageBody[P any] struct {
	v   P
	sum uint64
}

// UnmarshalJSONFrom implements jsonv2.UnmarshalerFrom: the body decodes as a P.
func (b *pageBody[P]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return jsonv2.UnmarshalDecode(dec, &b.v)
}

func (b *pageBody[P]) sumBody(body []byte) { b.sum = maphash.Bytes(pageSeed, body) }

// pageSeed seeds the page hashes; a collision of two different pages is
// a 1 in 2^64 chance per pair.
var pageSeed = maphash.MakeSeed()

// window fetches pages in the background and hands them back in the
// order they were pushed. Pages numbered up to last are pushed in
// order, as room allows (numbered is the last one pushed). Closing the
// window cancels every fetch and waits for them, so no goroutine
// outlives the iterator.
type window[T any] struct {
	ctx            context.Context
	cancel         context.CancelFunc
	fetch          func(context.Context, target) page[T]
	wg             sync.WaitGroup
	queue          []chan page[T]
	numbered, last int
	followed       map[string]bool // every link pushed
}

func (w *window[T]) push(t target) {
	ch := make(chan page[T], 1)
	w.queue = append(w.queue, ch)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		ch <- w.fetch(w.ctx, t)
	}()
}

// pop waits for the oldest page; false when nothing is in flight.
func (w *window[T]) pop() (page[T], bool) {
	if len(w.queue) == 0 {
		return page[T]{}, false
	}
	p := <-w.queue[0]
	w.queue = w.queue[1:]
	return p, true
}

// fill pushes numbered pages until n are in flight.
func (w *window[T]) fill(n int) {
	for w.numbered < w.last && len(w.queue) < n {
		w.numbered++
		w.push(target{page: w.numbered})
	}
}

func (w *window[T]) close() {
	w.cancel()
	w.wg.Wait()
}

// plan decides what follows p, the page just received. While pages are
// fetched by number it only watches for a page that says it is the last.
// Otherwise it pushes the next page: every remaining one by number when
// GitLab reports a page count it can have (so that WithPageConcurrency
// pages are in flight), else the one step finds. last says p ends the
// list; err (after p's items) why it cannot be followed further.
func (w *window[T]) plan(c *Client, p page[T]) (last bool, err error) {
	r := p.resp
	if len(w.queue) > 0 || w.numbered < w.last {
		return r.NextPage == 0, nil
	}
	if c.pageConcurrency > 1 && trustedPageCount(r, len(p.items)) && r.NextPage > max(p.page, r.CurrentPage) && r.NextPage <= r.TotalPages {
		w.numbered, w.last = r.NextPage-1, r.TotalPages
		return false, nil
	}
	next, more, err := c.step(p.target, r)
	if !more && err == nil && p.more {
		next, more = target{page: max(p.page, r.CurrentPage, 1) + 1}, true
	}
	if more && next.link != "" {
		if w.followed[next.link] {
			return true, fmt.Errorf("%w: the next page's link %s was followed before; stopping rather than looping",
				ErrUnexpectedResponse, c.secrets.url(mustParse(next.link)))
		}
		w.followed[next.link] = true
	}
	if more {
		w.push(next)
	}
	return !more, err
}

// iterate yields every item of a GET list endpoint across pages, in
// order. It works on copies of opt (the caller's struct is never
// changed). While the caller handles one page the next is already being
// fetched; when GitLab reports the page count, pages are fetched by
// number, up to WithPageConcurrency at once. The first error is yielded
// once and ends the iteration; so does an empty page or the caller's
// break. Every fetch has ended before iterate returns.
func iterate[T any, O any](ctx context.Context, c *Client, ep endpoint, opt *O, opts []RequestOption) iter.Seq2[T, error] {
	return iteratePages(ctx, c, ep, opt, opts, pager[T, list[T]]{items: func(l *list[T]) []T { return *l }})
}

// iterateSparse is iterate for a list that GitLab filters after
// cutting its pages (a user's events, checked one by one for what the
// caller may see: lib/api/helpers/events_helpers.rb): a page may hold
// fewer items than per_page, or none, while later pages hold some, so
// only the pagination headers end the walk. An empty page that
// announces another must carry an X-Page past the previous empty
// page's, so that a server ignoring ?page cannot keep the walk going
// without items.
func iterateSparse[T any, O any](ctx context.Context, c *Client, ep endpoint, opt *O, opts []RequestOption) iter.Seq2[T, error] {
	return iteratePages(ctx, c, ep, opt, opts, pager[T, list[T]]{items: func(l *list[T]) []T { return *l }, sparse: true})
}

// iteratePages is iterate for a page body that is not a plain list: pg
// reads each page's items out of a P. It is the one loop of every
// iterator. A page whose X-Page is not the one asked for, or whose body
// repeats one already handed out (a server that ignores ?page while
// announcing a next page), is an error: so the walk ends.
func iteratePages[T, P any, O any](ctx context.Context, c *Client, ep endpoint, opt *O, opts []RequestOption, pg pager[T, P]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if ctx == nil {
			yield(zero, invalidArg("nil context"))
			return
		}
		var base O
		if opt != nil {
			base = *opt
		}
		w := &window[T]{followed: map[string]bool{}, fetch: func(ctx context.Context, t target) page[T] {
			o, e := base, ep // each fetch encodes its own copy
			if p, ok := any(&o).(pageable); ok {
				p.listOptions().Page = t.page
			}
			e.next = t.link
			var body pageBody[P]
			resp, err := c.send(ctx, http.MethodGet, e, &o, opts, &body)
			p := page[T]{target: t, resp: resp, err: err, sum: body.sum}
			if err == nil {
				p.items = pg.items(&body.v)
				p.more = pg.more != nil && pg.more(&body.v, resp)
			}
			return p
		}}
		seen := map[uint64]bool{}
		emptyPage := 0 // X-Page of the last empty page (sparse lists)
		w.ctx, w.cancel = context.WithCancel(ctx)
		defer w.close()

		first := target{}
		if p, ok := any(&base).(pageable); ok {
			first.page = p.listOptions().Page
		}
		w.push(first)
		for p, ok := w.pop(); ok; p, ok = w.pop() {
			if err := ctx.Err(); err != nil && p.err == nil {
				p.err = err // a page fetched before ctx ended is not handed out after
			}
			if p.err != nil {
				yield(zero, p.err)
				return
			}
			if len(p.items) == 0 && !pg.sparse {
				return
			}
			if p.page > 0 && p.resp.CurrentPage > 0 && p.resp.CurrentPage != p.page {
				yield(zero, fmt.Errorf("%w: asked for page %d, got page %d", ErrUnexpectedResponse, p.page, p.resp.CurrentPage))
				return
			}
			switch {
			case len(p.items) == 0 && (p.resp.NextPage > 0 || p.resp.NextLink != "") && p.resp.CurrentPage <= emptyPage:
				yield(zero, fmt.Errorf("%w: %s is an empty page without a new X-Page; stopping rather than looping",
					ErrUnexpectedResponse, c.secrets.url(p.resp.Request.URL)))
				return
			case len(p.items) == 0:
				emptyPage = p.resp.CurrentPage
			case seen[p.sum]:
				yield(zero, fmt.Errorf("%w: %s repeats a page already received; stopping rather than looping",
					ErrUnexpectedResponse, c.secrets.url(p.resp.Request.URL)))
				return
			default:
				seen[p.sum] = true
			}
			last, tail := w.plan(c, p)
			if !last {
				w.fill(c.pageConcurrency) // nothing more is asked for after the last page
			}
			for _, item := range p.items {
				if !yield(item, nil) {
					return
				}
			}
			if tail != nil {
				yield(zero, tail)
			}
			if last {
				return
			}
		}
	}
}

// mustParse parses a URL for display; an unparsable one shows as empty.
func mustParse(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{}
	}
	return u
}

// Collect returns every item of seq, such as a ListIter, in order. At
// the first error it stops (which stops the fetching) and returns nil
// and that error, so a caller never acts on part of a list by mistake.
//
// Use it when the loop body changes the list being paged: revoking or
// rotating tokens, deleting keys, emails or accounts, blocking users.
// Offset pagination, the default of every list, finds each page by its
// position: an item the body takes out of the list (a token revoked
// while listing active tokens, a key deleted) moves the items after it
// one place forward, so the pages fetched afterwards skip as many
// items; and as the iterator fetches pages ahead, a page fetched early
// can overlap one fetched late, which yields items twice. No error says
// so. Collect first, then act on the slice:
//
//	opt := &gitlab.ListPersonalAccessTokensOptions{UserID: gitlab.Ptr(id), State: gitlab.Ptr(gitlab.TokenStateActive)}
//	tokens, err := gitlab.Collect(client.PersonalAccessTokens.ListIter(ctx, opt))
//	if err != nil {
//		return err
//	}
//	for _, t := range tokens {
//		if _, err := client.PersonalAccessTokens.Revoke(ctx, t.ID); err != nil {
//			return err
//		}
//	}
//
// Keyset pagination (UsersService.ListIter with PaginationKeyset; of
// the lists in this package, GitLab offers it for users only) is not
// shifted by removing users already yielded; see UsersService.ListIter
// for what it does not protect against.
//
// Collect holds the whole list in memory; to read a list without
// changing it, range over the iterator instead.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var items []T
	for item, err := range seq {
		if err != nil {
			return nil, err
		}
		items = append(items, item)
	}
	return items, nil
}
