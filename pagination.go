package gitlab

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// iterate yields every item of a GET list endpoint across pages. It
// works on a copy of opt (the caller's struct is never changed), follows
// Link rel="next" when it points into the API root and X-Next-Page
// otherwise, yields the first error once and stops, and stops when the
// caller breaks.
func iterate[T any, O any](ctx context.Context, c *Client, ep endpoint, opt *O, opts []RequestOption) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var cp O
		if opt != nil {
			cp = *opt
		}
		lo := &ListOptions{}
		if p, ok := any(&cp).(pageable); ok {
			lo = p.listOptions()
		}
		next := "" // a next-page URL from Link, when there is one
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			var page []T
			resp, err := c.send(ctx, http.MethodGet, ep, next, &cp, opts, &page)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range page {
				if !yield(item, nil) {
					return
				}
			}
			if len(page) == 0 {
				return
			}
			switch {
			case resp.NextLink != "" && resp.NextLink != next && c.underBase(resp.NextLink):
				next = resp.NextLink
			case resp.NextPage > max(lo.Page, resp.CurrentPage):
				next = ""
				lo.Page = resp.NextPage
			default:
				return
			}
		}
	}
}
