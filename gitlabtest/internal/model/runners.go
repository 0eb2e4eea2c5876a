package model

// Runners of POST /user/runners: lib/api/user_runners.rb and
// Ci::Runners::CreateRunnerService. The fake keeps no runner; it
// checks who may create one and hands out its ID and token.

// The runner types of POST /user/runners.
const (
	RunnerInstance = "instance_type"
	RunnerGroup    = "group_type"
	RunnerProject  = "project_type"
)

// RunnerSpec is a runner to create.
type RunnerSpec struct {
	Type string
	// GroupID or ProjectID names the group of a group runner or the
	// project of a project runner.
	GroupID, ProjectID int64
	TagList            []string
	// RunUntagged says whether the runner picks jobs without tags.
	RunUntagged bool
}

// Runner is a created runner: its ID and its authentication token.
type Runner struct {
	ID    int64
	Token string
}

// CreateRunner creates a runner for actor, who must be allowed to:
// instance runners are for administrators, group runners for the
// group's owners, project runners for the project's maintainers and
// owners (Ci::Runners::CreateRunnerService's create_runner
// permissions, by the seeded memberships; administrators may create
// any). A group or project no one is a member of is "Missing/invalid".
// A runner without tags must run untagged jobs (Ci::Runner's
// validation).
func (st *Store) CreateRunner(actor *User, spec RunnerSpec) (*Runner, error) {
	allowed := actor.Admin
	if spec.Type != RunnerInstance {
		source, id, least, what := SourceNamespace, spec.GroupID, AccessOwner, "group"
		if spec.Type == RunnerProject {
			source, id, least, what = SourceProject, spec.ProjectID, AccessMaintainer, "project"
		}
		known := false
		for _, u := range st.byID {
			for _, m := range u.Memberships {
				if m.SourceType == source && m.SourceID == id {
					known = true
					allowed = allowed || (u.ID == actor.ID && m.AccessLevel >= least)
				}
			}
		}
		if !known {
			return nil, badRequest("Missing/invalid " + what)
		}
	}
	if !allowed {
		return nil, forbidden("Insufficient permissions")
	}
	if len(spec.TagList) == 0 && !spec.RunUntagged {
		return nil, badRequest("Tags list can not be empty when runner is not allowed to pick untagged jobs")
	}
	return &Runner{ID: st.NextRunnerID(), Token: "glrt-" + RandomHex(10)}, nil
}
