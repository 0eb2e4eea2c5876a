package gitlab

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
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
// that following it sends credentials nowhere else.
func (c *Client) underBase(link string) bool {
	u, err := url.Parse(link)
	if err != nil || u.User != nil || u.Fragment != "" {
		return false
	}
	return u.Scheme == c.base.Scheme && strings.EqualFold(u.Host, c.base.Host) && strings.HasPrefix(u.Path, c.base.Path)
}

// pageResult is one fetched page, or why it could not be fetched.
type pageResult[T any] struct {
	items []T
	resp  *Response
	err   error
}

// iterate yields every item of a GET list endpoint across pages, in
// order. It works on copies of opt (the caller's struct is never
// changed) and follows Link rel="next" when it points into the API root,
// X-Next-Page otherwise. While the caller handles one page the next is
// already being fetched; with WithPageConcurrency(n) and a known page
// count, up to n pages are fetched at once. The first error is yielded
// once and ends the iteration; so does the caller's break. Every
// background fetch is cancelled and waited for before iterate returns.
func iterate[T any, O any](ctx context.Context, c *Client, ep endpoint, opt *O, opts []RequestOption) iter.Seq2[T, error] {
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
		startPage := 0
		if p, ok := any(&base).(pageable); ok {
			startPage = p.listOptions().Page
		}

		ctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		defer wg.Wait()
		defer cancel()

		// fetch starts fetching one page, by next-page URL or by number.
		fetch := func(link string, page int) <-chan pageResult[T] {
			ch := make(chan pageResult[T], 1)
			o := base // each fetch encodes its own copy
			if p, ok := any(&o).(pageable); ok && link == "" {
				p.listOptions().Page = page
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				var items []T
				resp, err := c.send(ctx, http.MethodGet, ep, link, &o, opts, &items)
				ch <- pageResult[T]{items, resp, err}
			}()
			return ch
		}

		queue := []<-chan pageResult[T]{fetch("", startPage)}
		page, link := startPage, "" // what the last result asked for
		lastParallel := 0           // with concurrency: last page number to fetch in parallel
		scheduled := 0              // with concurrency: last page number scheduled
		for len(queue) > 0 {
			res := <-queue[0]
			queue = queue[1:]
			if res.err != nil {
				yield(zero, res.err)
				return
			}
			if len(res.items) == 0 {
				return
			}
			r := res.resp
			current := max(page, r.CurrentPage)
			switch {
			case lastParallel == 0 && c.pageConcurrency > 1 && r.TotalPages > 0 && r.NextPage > current && r.NextPage <= r.TotalPages:
				lastParallel, scheduled = r.TotalPages, r.NextPage-1
			case lastParallel > 0:
				// page numbers were scheduled in order; nothing to decide
			case r.NextLink != "" && r.NextLink != link && c.underBase(r.NextLink):
				link = r.NextLink
				queue = append(queue, fetch(link, 0))
			case r.NextPage > current:
				page, link = r.NextPage, ""
				queue = append(queue, fetch("", page))
			}
			var tail error // reported after this page's items
			if len(queue) == 0 && lastParallel == 0 && r.NextLink != "" && r.NextPage <= current && !c.underBase(r.NextLink) {
				// The only way on leads off the API root (keyset
				// pagination behind a host name GitLab doesn't know):
				// say so rather than end early as if the list were done.
				tail = fmt.Errorf("%w: the next page's link %s is outside the base URL %s and is not followed, so credentials stay on the base host; set WithBaseURL to GitLab's external URL",
					ErrUnexpectedResponse, redactString(redactURL(mustParse(r.NextLink)), c.token), c.baseURL)
			}
			for lastParallel > 0 && scheduled < lastParallel && len(queue) < c.pageConcurrency {
				scheduled++
				queue = append(queue, fetch("", scheduled))
			}
			if lastParallel > 0 && len(queue) == 0 && r.NextPage > scheduled {
				// More rows appeared than the first page counted:
				// carry on one page at a time.
				lastParallel, page, link = 0, r.NextPage, ""
				queue = append(queue, fetch("", page))
			}
			for _, item := range res.items {
				if !yield(item, nil) {
					return
				}
			}
			if tail != nil {
				yield(zero, tail)
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
