package model

import (
	"cmp"
	"slices"
	"time"
)

// Deploy keys: app/models/deploy_key.rb, app/models/deploy_keys_project.rb
// and the two lists of https://docs.gitlab.com/api/deploy_keys/ (lib/api/
// deploy_keys.rb and lib/api/users.rb).

// DeployKeySpec is a deploy key to store with AddDeployKey.
type DeployKeySpec struct {
	Title string
	Key   string
	// UsageType defaults to auth_and_signing, the column's default.
	UsageType  string
	UserID     int64
	Public     bool
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
	// Projects enable the key in these projects.
	Projects []DeployKeyProject
}

// AddDeployKey stores a deploy key with its MD5 and SHA256
// fingerprints, computed from the key as for SSH keys, enabled in
// spec.Projects. It does not validate: seeding does its own checks.
func (st *Store) AddDeployKey(spec DeployKeySpec, now time.Time) *DeployKey {
	st.nextKey++
	sha, _ := SSHFingerprint(spec.Key)
	k := &DeployKey{ID: st.nextKey, Title: spec.Title, Key: spec.Key, UserID: spec.UserID, Public: spec.Public,
		UsageType: cmp.Or(spec.UsageType, UsageAuthAndSigning), Fingerprint: SSHMD5Fingerprint(spec.Key),
		FingerprintSHA256: sha, CreatedAt: now, ExpiresAt: spec.ExpiresAt, LastUsedAt: spec.LastUsedAt}
	for _, p := range spec.Projects {
		k.Projects = slices.DeleteFunc(k.Projects, func(o DeployKeyProject) bool { return o.ProjectID == p.ProjectID })
		k.Projects = append(k.Projects, p)
	}
	slices.SortFunc(k.Projects, func(a, b DeployKeyProject) int { return cmp.Compare(a.ProjectID, b.ProjectID) })
	st.deployKeys[k.ID] = k
	return k
}

// DeployKey returns the deploy key with this ID, or nil. Reads only.
func (st *Store) DeployKey(id int64) *DeployKey { return st.deployKeys[id] }

// DeployKeys is GET /deploy_keys (lib/api/deploy_keys.rb): every deploy
// key of the instance by ascending ID, or with public only the
// instance-wide ones (DeployKey.are_public). Reads only.
func (st *Store) DeployKeys(public bool) []*DeployKey {
	out := byID(st.deployKeys)
	if public {
		out = slices.DeleteFunc(out, func(k *DeployKey) bool { return !k.Public })
	}
	return out
}

// EnabledKey is a deploy key as enabled in one project: a row of
// DeployKey.in_projects.
type EnabledKey struct {
	Key       *DeployKey
	ProjectID int64
}

// ProjectDeployKeys is GET /users/:user_id/project_deploy_keys
// (lib/api/users.rb): the projects where actor is at least a
// Maintainer, through its project authorizations (an administrator's
// implicit access does not count), intersected, when actor is not u,
// with those where u is at least a Maintainer; none is Forbidden "No
// common authorized project found". Every deploy key enabled in those
// projects is listed once per project, with no DISTINCT, by key ID. An
// anonymous actor fails as GitLab's code does (a method called on nil:
// Internal). Reads only.
func (st *Store) ProjectDeployKeys(actor, u *User, now time.Time) ([]EnabledKey, error) {
	if actor == nil {
		return nil, &Error{Kind: Internal, Text: "visible_to_user_and_access_level called with no user"}
	}
	common := map[int64]bool{}
	for _, p := range st.projects {
		if st.ProjectAccess(actor, p, now) >= AccessMaintainer && (actor.ID == u.ID || st.ProjectAccess(u, p, now) >= AccessMaintainer) {
			common[p.ID] = true
		}
	}
	if len(common) == 0 {
		return nil, forbidden("No common authorized project found")
	}
	var out []EnabledKey
	for _, k := range byID(st.deployKeys) {
		for _, p := range k.Projects {
			if common[p.ProjectID] {
				out = append(out, EnabledKey{Key: k, ProjectID: p.ProjectID})
			}
		}
	}
	return out, nil
}

// forgetDeployKeysOf keeps a deleted user's deploy keys without their
// creator (User has_many :deploy_keys, dependent: :nullify).
func (st *Store) forgetDeployKeysOf(userID int64) {
	for _, k := range st.deployKeys {
		if k.UserID == userID {
			k.UserID = 0
		}
	}
}

// disableDeployKeysIn removes a deleted project's deploy key links
// (deploy_keys_projects rows go with their project).
func (st *Store) disableDeployKeysIn(projectID int64) {
	for _, k := range st.deployKeys {
		k.Projects = slices.DeleteFunc(k.Projects, func(p DeployKeyProject) bool { return p.ProjectID == projectID })
	}
}
