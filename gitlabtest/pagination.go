package gitlabtest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	defaultPerPage = 20
	maxPerPage     = 100
	// countLimit is Kaminari's MAX_COUNT_LIMIT: above it GitLab omits
	// X-Total, X-Total-Pages and rel="last".
	countLimit = 10000
	// maxOffset is the default offset_pagination_limit for /users.
	maxOffset = 50000
)

// pages is a requested page: GitLab's pagination parameters.
type pages struct{ page, perPage int }

// pages reads page and per_page (Grape's :pagination parameters).
func (v *validator) pages() pages {
	p := v.optInt("page")
	pp := v.optInt("per_page")
	if pp != nil && *pp == 0 {
		v.errs = append(v.errs, "per_page has a value not allowed")
	}
	pg := pages{page: 1, perPage: defaultPerPage}
	if p != nil && *p > 1 {
		pg.page = int(min(*p, 1<<30))
	}
	if pp != nil && *pp > 0 {
		pg.perPage = int(min(*pp, maxPerPage))
	}
	return pg
}

// listAnswer answers 200 with the requested page of items, each rendered
// by render, and GitLab's offset pagination headers. offsetCap applies
// the offset limit of /users (405 beyond it).
func listAnswer[T any](c *reqCtx, items []T, pg pages, offsetCap bool, render func(T) any) answer {
	if offsetCap {
		if fail := offsetCapped(pg); fail != nil {
			return *fail
		}
	}
	start := min((pg.page-1)*pg.perPage, len(items))
	end := min(start+pg.perPage, len(items))
	return pageAnswer(c, items[start:end], pg, len(items), render)
}

// offsetCapped answers 405 beyond the offset limit of /users.
func offsetCapped(pg pages) *answer {
	if pg.page*pg.perPage > maxOffset {
		return halt(reply(http.StatusMethodNotAllowed, map[string]string{"error": "Offset pagination has a maximum allowed offset of " +
			strconv.Itoa(maxOffset) + " for requests that return objects of type User. Remaining records can be retrieved using keyset pagination."}))
	}
	return nil
}

// pageAnswer answers 200 with window, the items of page pg, rendered by
// render, and the offset pagination headers of a list of total items.
// total may be a lower bound when it is above both countLimit and the
// end of the page, since the headers then do not depend on it.
func pageAnswer[T any](c *reqCtx, window []T, pg pages, total int, render func(T) any) answer {
	page, perPage := pg.page, pg.perPage
	counted := total <= countLimit
	totalPages := max(1, (total+perPage-1)/perPage)
	start := min((page-1)*perPage, total)
	end := min(start+perPage, total)
	h := http.Header{}
	h.Set("X-Per-Page", strconv.Itoa(perPage))
	h.Set("X-Page", strconv.Itoa(page))
	next, prev := "", ""
	if end < total {
		next = strconv.Itoa(page + 1)
	}
	if page > 1 && page <= totalPages {
		prev = strconv.Itoa(page - 1)
	}
	h.Set("X-Next-Page", next)
	h.Set("X-Prev-Page", prev)
	if counted {
		h.Set("X-Total", strconv.Itoa(total))
		h.Set("X-Total-Pages", strconv.Itoa(totalPages))
	}
	var links []string
	if prev != "" {
		links = append(links, c.pageLink(page-1, perPage, "prev"))
	}
	if next != "" {
		links = append(links, c.pageLink(page+1, perPage, "next"))
	}
	links = append(links, c.pageLink(1, perPage, "first"))
	if counted {
		links = append(links, c.pageLink(totalPages, perPage, "last"))
	}
	h.Set("Link", strings.Join(links, ", "))
	res := make([]any, 0, len(window))
	for _, it := range window {
		res = append(res, render(it))
	}
	a := reply(http.StatusOK, res)
	a.header = h
	return a
}

// linkQuery returns the request's query parameters for a Link URL (a
// private_token is never echoed).
func (c *reqCtx) linkQuery() url.Values {
	q := url.Values{}
	for k, v := range c.query {
		if k == "private_token" {
			continue
		}
		q[k] = v
	}
	return q
}

func (c *reqCtx) pageLink(page, perPage int, rel string) string {
	q := c.linkQuery()
	q.Set("page", strconv.Itoa(page))
	q.Set("per_page", strconv.Itoa(perPage))
	return "<" + c.s.URL + c.r.URL.EscapedPath() + "?" + q.Encode() + `>; rel="` + rel + `"`
}

// cursor is the keyset position: the sort value and ID of the last row.
type cursor struct {
	V  string `json:"v"`
	ID int64  `json:"id"`
}

func encodeCursor(cur cursor) string {
	b, _ := json.Marshal(cur)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, bool) {
	var cur cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &cur) != nil || cur.ID <= 0 {
		return cursor{}, false
	}
	return cur, true
}
