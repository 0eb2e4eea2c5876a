package gitlab

import (
	"context"
	"iter"
	"time"
)

// EventAction is what a user did, as ListUserEventsOptions.Action
// filters it. The values are GitLab's Event.actions (app/models/event.rb).
//
// GitLab API docs: https://docs.gitlab.com/api/events/
type EventAction string

// The actions GitLab filters events by. An event's ActionName is worded
// differently ("pushed to", "commented on", "accepted" for merged).
const (
	EventActionCreated   EventAction = "created"
	EventActionUpdated   EventAction = "updated"
	EventActionClosed    EventAction = "closed"
	EventActionReopened  EventAction = "reopened"
	EventActionPushed    EventAction = "pushed"
	EventActionCommented EventAction = "commented"
	EventActionMerged    EventAction = "merged"
	EventActionJoined    EventAction = "joined" // joined a project or group
	EventActionLeft      EventAction = "left"   // left a project or group
	EventActionDestroyed EventAction = "destroyed"
	EventActionExpired   EventAction = "expired" // removed when the membership expired
	EventActionApproved  EventAction = "approved"
)

func (EventAction) known() []string {
	return []string{string(EventActionCreated), string(EventActionUpdated), string(EventActionClosed),
		string(EventActionReopened), string(EventActionPushed), string(EventActionCommented), string(EventActionMerged),
		string(EventActionJoined), string(EventActionLeft), string(EventActionDestroyed), string(EventActionExpired),
		string(EventActionApproved)}
}

// EventTargetType is the kind of thing an event is about, as
// ListUserEventsOptions.TargetType filters it. The values are the keys
// of GitLab's Event::TARGET_TYPES (app/models/event.rb): GitLab refuses
// "epic" (400), although its docs list it, and accepts "wiki" and
// "design", although its docs do not.
//
// GitLab API docs: https://docs.gitlab.com/api/events/
type EventTargetType string

// The target types GitLab filters events by.
const (
	// EventTargetTypeIssue matches issues only, not work items.
	EventTargetTypeIssue        EventTargetType = "issue"
	EventTargetTypeMilestone    EventTargetType = "milestone"
	EventTargetTypeMergeRequest EventTargetType = "merge_request"
	EventTargetTypeNote         EventTargetType = "note"
	// EventTargetTypeProject matches the events about a project itself:
	// created, pushed, joined, left and expired.
	EventTargetTypeProject EventTargetType = "project"
	EventTargetTypeSnippet EventTargetType = "snippet"
	EventTargetTypeUser    EventTargetType = "user"
	EventTargetTypeWiki    EventTargetType = "wiki"
	EventTargetTypeDesign  EventTargetType = "design"
)

func (EventTargetType) known() []string {
	return []string{string(EventTargetTypeIssue), string(EventTargetTypeMilestone), string(EventTargetTypeMergeRequest),
		string(EventTargetTypeNote), string(EventTargetTypeProject), string(EventTargetTypeSnippet),
		string(EventTargetTypeUser), string(EventTargetTypeWiki), string(EventTargetTypeDesign)}
}

// ListUserEventsOptions are the parameters of UsersService.ListEvents
// and ListEventsIter.
//
// GitLab API docs: https://docs.gitlab.com/api/events/
type ListUserEventsOptions struct {
	ListOptions
	// Action keeps only events of one action.
	Action *EventAction `url:"action,omitempty"`
	// TargetType keeps only events about one kind of thing.
	TargetType *EventTargetType `url:"target_type,omitempty"`
	// Before keeps the events created before this day; the day itself
	// is excluded. GitLab reads the date in its own time zone.
	Before *ISODate `url:"before,omitempty"`
	// After keeps the events created after this day; the day itself is
	// excluded.
	After *ISODate `url:"after,omitempty"`
	// Sort orders the events by ID: SortOrderDesc (newest first,
	// GitLab's default) or SortOrderAsc.
	Sort *SortOrder `url:"sort,omitempty"`
}

// Event is something a user did in a project: joined or left it,
// pushed to it, opened, commented on or closed something in it. The
// fields GitLab sends depend on the kind of event: Note for comments,
// WikiPage for wiki pages, PushData for pushes.
//
// GitLab API docs: https://docs.gitlab.com/api/events/
type Event struct {
	ID        int64 `json:"id"`
	ProjectID int64 `json:"project_id"`
	// ActionName is GitLab's wording of the action: "joined", "left",
	// "removed due to membership expiration from", "pushed to",
	// "pushed new", "deleted", "opened", "closed", "accepted" (merged),
	// "commented on", "created", "imported", "updated", "destroyed",
	// "approved".
	ActionName string `json:"action_name"`
	// TargetID, TargetIID, TargetType and TargetTitle describe what the
	// event is about; nil when it is about the project itself (a push,
	// joining or leaving). TargetIID is the target's number within the
	// project, or its ID when it has none. TargetType is a class name
	// such as "Issue", "MergeRequest", "Note", "DiffNote",
	// "WikiPage::Meta" or "Milestone".
	TargetID    *int64  `json:"target_id"`
	TargetIID   *int64  `json:"target_iid"`
	TargetType  *string `json:"target_type"`
	AuthorID    int64   `json:"author_id"`
	TargetTitle *string `json:"target_title"`
	// CreatedAt is when it happened.
	CreatedAt *time.Time `json:"created_at"`
	// Note is the comment of a comment event; nil for other events.
	Note *Note `json:"note,omitempty"`
	// Author is the user who acted; nil when that user no longer exists.
	Author *User `json:"author,omitempty"`
	// WikiPage is the page of a wiki event; nil for other events.
	WikiPage *EventWikiPage `json:"wiki_page,omitempty"`
	// Imported is true for an event brought in by an import;
	// ImportedFrom names its source ("none", "github", ...).
	Imported     bool   `json:"imported"`
	ImportedFrom string `json:"imported_from"`
	// PushData describes the push of a push event; nil for other events.
	PushData *EventPushData `json:"push_data,omitempty"`
	// AuthorUsername is Author's username ("" when Author is nil).
	AuthorUsername string `json:"author_username"`
}

// EventWikiPage is the wiki page of a wiki Event.
//
// GitLab API docs: https://docs.gitlab.com/api/events/
type EventWikiPage struct {
	Format         string `json:"format"`
	Slug           string `json:"slug"`
	Title          string `json:"title"`
	WikiPageMetaID int64  `json:"wiki_page_meta_id"`
}

// EventPushData describes the push of a push Event. For a bulk push
// (more refs at once than the instance records one by one) CommitCount
// is 0, RefCount counts the refs, and the commit fields are nil.
//
// GitLab API docs: https://docs.gitlab.com/api/events/
type EventPushData struct {
	CommitCount int64 `json:"commit_count"`
	// Action is "pushed", "created" (a new ref) or "removed".
	Action string `json:"action"`
	// RefType is "branch" or "tag".
	RefType string `json:"ref_type"`
	// CommitFrom is nil for a new ref; CommitTo is nil for a removed one.
	CommitFrom  *string `json:"commit_from"`
	CommitTo    *string `json:"commit_to"`
	Ref         *string `json:"ref"`
	CommitTitle *string `json:"commit_title"`
	// RefCount is set for bulk pushes only.
	RefCount *int64 `json:"ref_count"`
}

// Note is a comment on an issue, a merge request, a commit, a snippet
// or another noteable, as GitLab sends it in a comment Event.
//
// GitLab API docs: https://docs.gitlab.com/api/notes/
type Note struct {
	ID int64 `json:"id"`
	// Type is nil for a plain comment, else "DiffNote" or
	// "DiscussionNote".
	Type *string `json:"type"`
	Body string  `json:"body"`
	// Attachment is the file name of a legacy attachment; nil if none.
	Attachment *string    `json:"attachment"`
	Author     *User      `json:"author"`
	CreatedAt  *time.Time `json:"created_at"`
	UpdatedAt  *time.Time `json:"updated_at"`
	// System is true for notes GitLab writes itself ("changed the
	// description").
	System       bool   `json:"system"`
	NoteableID   int64  `json:"noteable_id"`
	NoteableType string `json:"noteable_type"`
	ProjectID    int64  `json:"project_id"`
	// CommitID is set for a diff note on a merge request.
	CommitID string `json:"commit_id,omitempty"`
	// Position is where a diff note sits in the diff; nil for others.
	Position   *NotePosition `json:"position,omitempty"`
	Resolvable bool          `json:"resolvable"`
	// Resolved, ResolvedBy and ResolvedAt are sent for resolvable notes.
	Resolved     bool       `json:"resolved"`
	ResolvedBy   *User      `json:"resolved_by"`
	ResolvedAt   *time.Time `json:"resolved_at"`
	Confidential bool       `json:"confidential"`
	// Internal is the same as Confidential, under GitLab's newer name.
	Internal     bool   `json:"internal"`
	Imported     bool   `json:"imported"`
	ImportedFrom string `json:"imported_from"`
	// NoteableIID is the number of the issue or merge request the note
	// is on; nil for other noteables.
	NoteableIID *int64 `json:"noteable_iid"`
	// CommandsChanges are the changes the note's quick actions made, as
	// GitLab reports them ({} when none).
	CommandsChanges map[string]any `json:"commands_changes"`
}

// NotePosition is where a diff note sits: in a text diff (OldLine,
// NewLine, LineRange), on an image (Width, Height, X, Y), or on a whole
// file.
//
// GitLab API docs: https://docs.gitlab.com/api/discussions/
type NotePosition struct {
	BaseSHA  string `json:"base_sha"`
	StartSHA string `json:"start_sha"`
	HeadSHA  string `json:"head_sha"`
	OldPath  string `json:"old_path"`
	NewPath  string `json:"new_path"`
	// PositionType is "text", "image" or "file".
	PositionType string         `json:"position_type"`
	OldLine      *int64         `json:"old_line"`
	NewLine      *int64         `json:"new_line"`
	LineRange    *NoteLineRange `json:"line_range"`
	Width        *int64         `json:"width"`
	Height       *int64         `json:"height"`
	X            *int64         `json:"x"`
	Y            *int64         `json:"y"`
}

// NoteLineRange is the lines a multi-line diff note covers.
//
// GitLab API docs: https://docs.gitlab.com/api/discussions/
type NoteLineRange struct {
	Start *NoteLine `json:"start"`
	End   *NoteLine `json:"end"`
}

// NoteLine is one end of a NoteLineRange.
//
// GitLab API docs: https://docs.gitlab.com/api/discussions/
type NoteLine struct {
	LineCode string `json:"line_code"`
	// Type is "new", "old" or nil (an unchanged line).
	Type    *string `json:"type"`
	OldLine *int64  `json:"old_line"`
	NewLine *int64  `json:"new_line"`
}

// ListEvents returns one page of a user's contribution events (named
// by ID or username), newest first unless opt.Sort says otherwise.
// Anyone may call it, anonymously too, and sees only the events of
// projects they may read (anonymous callers: public projects), and of
// those only what they may see (a confidential issue's events are
// hidden from non-members). A user whose profile is private to the
// caller, blocked or unconfirmed has no events to show: the answer is
// an empty list, not an error; the user themself and administrators see
// everything. An unknown user is 404 (ErrNotFound).
//
// GitLab drops the events the caller may not see after cutting the
// page, so a page may hold fewer events than PerPage, or none, although
// later pages hold some: to read further, follow Response.NextPage (or
// use ListEventsIter), not the length of the page. Above 10,000 events
// GitLab sends no TotalItems or TotalPages.
//
// GitLab API docs: https://docs.gitlab.com/api/events/
func (s *UsersService) ListEvents(ctx context.Context, user UserRef, opt *ListUserEventsOptions, opts ...RequestOption) ([]*Event, *Response, error) {
	return doList[*Event](ctx, s.client, at("users", user, "events"), opt, opts)
}

// ListEventsIter yields all of a user's contribution events that the
// caller may see, across pages. Who may call it, and what it yields, is
// as for ListEvents. Since GitLab filters each page after cutting it, a
// short or empty page does not end the walk: only the pagination
// headers do. opt is not modified.
//
// GitLab API docs: https://docs.gitlab.com/api/events/
func (s *UsersService) ListEventsIter(ctx context.Context, user UserRef, opt *ListUserEventsOptions, opts ...RequestOption) iter.Seq2[*Event, error] {
	return iterateSparse[*Event](ctx, s.client, at("users", user, "events"), opt, opts)
}
