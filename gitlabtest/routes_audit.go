package gitlabtest

// auditEventRoutes are the audit event routes of GitLab's Enterprise
// Edition: the instance's (ee/lib/api/audit_events.rb, administrators)
// and a group's or a project's (ee/lib/ee/api/groups.rb,
// ee/lib/ee/api/projects.rb). Every one authenticates first (401). The
// fake answers as an instance licensed for them (Premium and above).
var auditEventRoutes = []struct {
	method, pattern string
	group           authGroup
	handler         func(*reqCtx) answer
}{
	{"GET", "/audit_events", groupAPI, hListAuditEvents},
	{"GET", "/audit_events/:id", groupAPI, hGetAuditEvent},
	{"GET", "/groups/:ref/audit_events", groupAPI, hListSourceAuditEvents(true)},
	{"GET", "/groups/:ref/audit_events/:audit_event_id", groupAPI, hGetSourceAuditEvent(true)},
	{"GET", "/projects/:ref/audit_events", groupAPI, hListSourceAuditEvents(false)},
	{"GET", "/projects/:ref/audit_events/:audit_event_id", groupAPI, hGetSourceAuditEvent(false)},
}
