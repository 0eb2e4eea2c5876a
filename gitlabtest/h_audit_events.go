package gitlabtest

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// Audit events (ee/lib/api/audit_events.rb, ee/lib/ee/api/groups.rb,
// ee/lib/ee/api/projects.rb; https://docs.gitlab.com/api/audit_events/).
// The events are the ones the model records for the actions it
// performs (internal/model/audit.go), which also holds who sees what.

type auditEvent = model.AuditEvent

// auditEventJSON renders API::Entities::AuditEvent: details are the
// stored ones (AuditEvents::CommonModel#formatted_details) with the
// author's current email added when read (null once the author is
// gone), and entity_path, as on an instance licensed for
// admin_audit_log.
func (c *reqCtx) auditEventJSON(e *auditEvent) *obj {
	d := (&obj{}).set("event_name", e.Name).set("author_name", e.AuthorName)
	authorClass := "User"
	var email any
	if e.AuthorID < 0 {
		authorClass = "Gitlab::Audit::UnauthenticatedAuthor"
	} else if a := c.s.st.User(e.AuthorID); a != nil {
		email = a.Email
	}
	d.set("author_class", authorClass)
	if e.TargetType != "" {
		d.set("target_id", e.TargetID).set("target_type", e.TargetType).set("target_details", e.TargetDetails)
	}
	if e.Message != "" {
		d.set("custom_message", e.Message)
	}
	for _, x := range e.Details {
		d.set(x.Key, x.Value)
	}
	d.set("entity_path", e.EntityPath).set("author_email", email)
	var name any = e.Name
	if e.Name == "" {
		name = nil
	}
	return (&obj{}).set("id", e.ID).set("author_id", e.AuthorID).set("entity_id", e.EntityID).
		set("entity_type", e.EntityType).set("event_name", name).set("details", d).set("created_at", tsv(e.CreatedAt))
}

// auditPaging is how a list of audit events is paged: by offset (the
// default) or, with pagination=keyset, by a cursor after the last ID.
type auditPaging struct {
	pages
	keyset bool
	after  int64 // the cursor's ID; 0 for the first page
}

// auditPaging reads page, per_page and the undeclared pagination and
// cursor, which the API reads from the raw params.
func (v *validator) auditPaging() auditPaging {
	p := auditPaging{pages: v.pages(), keyset: v.c.get("pagination") == "keyset"}
	if cur, ok := decodeCursor(v.c.get("cursor")); ok && p.keyset {
		p.after = cur.ID
	}
	return p
}

// auditAnswer answers a page of events (newest first unless asc).
// Keyset pages carry only Link rel="next", while more events follow.
// Offset pages carry the usual headers, but for the instance list
// (uncounted), which has no X-Total, X-Total-Pages or rel="last" and,
// as AuditEvents::CombinedAuditEventFinder pages, announces a next page
// whenever the page is full, even the last one.
func (c *reqCtx) auditAnswer(events []*auditEvent, p auditPaging, asc, uncounted bool) answer {
	render := func(e *auditEvent) any { return c.auditEventJSON(e) }
	if p.keyset {
		start := 0
		if p.after > 0 {
			for start < len(events) && (asc && events[start].ID <= p.after || !asc && events[start].ID >= p.after) {
				start++
			}
		}
		end := min(start+p.perPage, len(events))
		res := make([]any, 0, end-start)
		for _, e := range events[start:end] {
			res = append(res, render(e))
		}
		a := reply(http.StatusOK, res)
		if end < len(events) {
			q := c.linkQuery()
			q.Del("page")
			q.Set("per_page", strconv.Itoa(p.perPage))
			q.Set("cursor", encodeCursor(cursor{ID: events[end-1].ID}))
			a.header = http.Header{"Link": {"<" + c.s.URL + c.r.URL.EscapedPath() + "?" + q.Encode() + `>; rel="next"`}}
		}
		return a
	}
	if !uncounted {
		return listAnswer(c, events, p.pages, false, render)
	}
	start := min((p.page-1)*p.perPage, len(events))
	end := min(start+p.perPage, len(events))
	res := make([]any, 0, end-start)
	for _, e := range events[start:end] {
		res = append(res, render(e))
	}
	h := http.Header{}
	h.Set("X-Per-Page", strconv.Itoa(p.perPage))
	h.Set("X-Page", strconv.Itoa(p.page))
	next, prev := "", ""
	if end-start == p.perPage {
		next = strconv.Itoa(p.page + 1)
	}
	if p.page > 1 {
		prev = strconv.Itoa(p.page - 1)
	}
	h.Set("X-Next-Page", next)
	h.Set("X-Prev-Page", prev)
	var links []string
	if prev != "" {
		links = append(links, c.pageLink(p.page-1, p.perPage, "prev"))
	}
	if next != "" {
		links = append(links, c.pageLink(p.page+1, p.perPage, "next"))
	}
	h.Set("Link", strings.Join(append(links, c.pageLink(1, p.perPage, "first")), ", "))
	a := reply(http.StatusOK, res)
	a.header = h
	return a
}

// auditEntityTypes are the values entity_type takes.
var auditEntityTypes = []string{model.AuditProject, model.AuditUser, model.AuditGroup, model.AuditInstance}

// hListAuditEvents is GET /audit_events: the declared params (400:
// entity_type's values, entity_id requires entity_type), then
// authenticated_as_admin! (403). sort=created_asc orders oldest first;
// author_id keeps one author's events.
func hListAuditEvents(c *reqCtx) answer {
	v := c.validate()
	var f model.AuditFilter
	if t := v.optValue("entity_type", auditEntityTypes...); t != nil {
		f.EntityType = *t
	}
	if id := v.optInt("entity_id"); id != nil {
		if !c.has("entity_type") {
			v.errs = append(v.errs, "entity_type is missing")
		}
		f.EntityID = *id
	}
	f.CreatedAfter, f.CreatedBefore = v.optTime("created_after"), v.optTime("created_before")
	p := v.auditPaging()
	if fail := v.check(); fail != nil {
		return *fail
	}
	if id, err := strconv.ParseInt(c.get("author_id"), 10, 64); err == nil {
		f.AuthorID = id
	}
	f.Ascending = c.get("sort") == "created_asc" && !p.keyset
	events, err := c.s.st.InstanceAuditEvents(c.viewer, f)
	if err != nil {
		return refusal(err)
	}
	return c.auditAnswer(events, p, f.Ascending, true)
}

// auditEventID reads an Integer path parameter (400 "<k> is invalid").
func (c *reqCtx) auditEventID(k string) (int64, *answer) {
	id, err := strconv.ParseInt(c.vars[k], 10, 64)
	if err != nil {
		return 0, halt(grapeError(k + " is invalid"))
	}
	return id, nil
}

// hGetAuditEvent is GET /audit_events/:id.
func hGetAuditEvent(c *reqCtx) answer {
	id, fail := c.auditEventID("id")
	if fail != nil {
		return *fail
	}
	e, err := c.s.st.InstanceAuditEvent(c.viewer, id)
	if err != nil {
		return refusal(err)
	}
	return reply(http.StatusOK, c.auditEventJSON(e))
}

// hListSourceAuditEvents is GET /groups/:id/audit_events and GET
// /projects/:id/audit_events: the params (400), the group or project
// (404), then read_audit_event (403). Only created_after and
// created_before filter; newest first.
func hListSourceAuditEvents(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		v := c.validate()
		after, before := v.optTime("created_after"), v.optTime("created_before")
		p := v.auditPaging()
		if fail := v.check(); fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		events, err := c.s.st.SourceAuditEvents(c.viewer, src, after, before, c.now)
		if err != nil {
			return refusal(err)
		}
		return c.auditAnswer(events, p, false, false)
	}
}

// hGetSourceAuditEvent is GET …/audit_events/:audit_event_id.
func hGetSourceAuditEvent(group bool) func(*reqCtx) answer {
	return func(c *reqCtx) answer {
		id, fail := c.auditEventID("audit_event_id")
		if fail != nil {
			return *fail
		}
		src, fail := c.pathSource(group)
		if fail != nil {
			return *fail
		}
		e, err := c.s.st.SourceAuditEvent(c.viewer, src, id, c.now)
		if err != nil {
			return refusal(err)
		}
		return reply(http.StatusOK, c.auditEventJSON(e))
	}
}
