package gitlabtest

import (
	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// hUserEvents is GET /users/:id/events (lib/api/events.rb): no user
// needed; the filters (400 as Grape words it), then the user by ID or
// username (404 User).
func hUserEvents(c *reqCtx) answer {
	v := c.validate()
	f := eventFilter(v)
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	u, fail := c.pathUser()
	if fail != nil {
		return *fail
	}
	return c.eventsAnswer(u, f, pg)
}

// hCurrentUserEvents is GET /events: the caller's own events, with the
// same filters.
func hCurrentUserEvents(c *reqCtx) answer {
	v := c.validate()
	f := eventFilter(v)
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	return c.eventsAnswer(c.viewer, f, pg)
}

// eventFilter reads the parameters of lib/api/helpers/events_helpers.rb
// in their declared order: action and target_type (values of
// Event.actions and Event.target_types), before and after (Date), sort
// (asc or desc, default desc); and the undeclared scope, which reaches
// EventsFinder as it is.
func eventFilter(v *validator) model.EventFilter {
	var f model.EventFilter
	f.Action = valueOr(v.optValue("action", model.EventActions...), "")
	f.TargetType = valueOr(v.optValue("target_type", model.EventTargetTypes...), "")
	f.Before, f.After = v.optDate("before"), v.optDate("after")
	f.Asc = valueOr(v.optValue("sort", "asc", "desc"), "desc") == "asc"
	f.All = v.c.get("scope") == "all"
	return f
}

// eventsAnswer is present_events (lib/api/helpers/events_helpers.rb):
// the page is cut from u's events first, and only then are the events
// the caller may not see (Event#visible_to_user?) dropped, so a page can
// be short, even empty, while later pages have events; the pagination
// headers count every event before that check. A profile the caller may
// not read answers an empty list with its headers.
func (c *reqCtx) eventsAnswer(u *user, f model.EventFilter, pg pages) answer {
	evs := c.s.st.UserEvents(c.viewer, u, f, c.now)
	start := min((pg.page-1)*pg.perPage, len(evs))
	end := min(start+pg.perPage, len(evs))
	var window []*model.Event
	for _, e := range evs[start:end] {
		if c.s.st.EventVisible(c.viewer, e, c.now) {
			window = append(window, e)
		}
	}
	return pageAnswer(c, window, pg, len(evs), c.eventJSON)
}

// eventJSON renders GitLab's Event entity (lib/api/entities/event.rb).
// The fake keeps no notes or wiki pages, so note and wiki_page are never
// shown; push_data is a push event's.
func (c *reqCtx) eventJSON(e *model.Event) any {
	o := (&obj{}).set("id", e.ID).set("project_id", nullIfZero(e.ProjectID)).set("action_name", e.ActionName()).
		set("target_id", nullIfZero(e.TargetID)).set("target_iid", nullIfZero(e.TargetIID)).
		set("target_type", nullIfEmpty(e.TargetType)).set("author_id", e.AuthorID).
		set("target_title", nullIfEmpty(e.TargetTitle)).set("created_at", tsv(e.CreatedAt))
	author := c.s.st.User(e.AuthorID)
	if author != nil {
		o.set("author", c.userJSON(author, lvlBasic, false))
	}
	o.set("imported", false).set("imported_from", "none")
	if e.Action == model.EventPushed {
		p := model.PushData{Action: "pushed", RefType: "branch"}
		if e.Push != nil {
			p = *e.Push
		}
		o.set("push_data", (&obj{}).set("commit_count", p.CommitCount).set("action", p.Action).set("ref_type", p.RefType).
			set("commit_from", nullIfEmpty(p.CommitFrom)).set("commit_to", nullIfEmpty(p.CommitTo)).set("ref", p.Ref).
			set("commit_title", nullIfEmpty(p.CommitTitle)).set("ref_count", nullIfZero(int64(p.RefCount))))
	}
	if author != nil {
		return o.set("author_username", author.Username)
	}
	return o.set("author_username", nil)
}
