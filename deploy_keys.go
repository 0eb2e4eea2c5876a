package gitlab

import (
	"context"
	"iter"
	"time"
)

// DeployKeysService lists deploy keys: the SSH keys that give machines
// read or write access to a project's repository. It reaches the keys
// of the projects a user maintains (ListForUser) and, for
// administrators, every deploy key of the instance (List). A deploy key
// outlives the person who added it, so an offboarding audit lists both.
//
// GitLab API docs: https://docs.gitlab.com/api/deploy_keys/
type DeployKeysService service

// DeployKey is a deploy key. Unlike a user's SSHKey, Key is the key as
// stored, its comment not rewritten.
//
// GitLab API docs: https://docs.gitlab.com/api/deploy_keys/
type DeployKey struct {
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	CreatedAt *time.Time `json:"created_at"`
	// ExpiresAt is nil when the key never expires.
	ExpiresAt *time.Time `json:"expires_at"`
	// LastUsedAt is when the key last authenticated; nil if never.
	LastUsedAt *time.Time `json:"last_used_at"`
	// Key is the public key in OpenSSH format, with its comment.
	Key       string          `json:"key"`
	UsageType SSHKeyUsageType `json:"usage_type"`
	// Fingerprint is the MD5 fingerprint ("aa:bb:..."); empty on FIPS
	// instances, where GitLab computes none and leaves the field out.
	Fingerprint string `json:"fingerprint,omitempty"`
	// FingerprintSHA256 is the SHA256 fingerprint ("SHA256:...").
	FingerprintSHA256 string `json:"fingerprint_sha256"`
	// ProjectsWithWriteAccess and ProjectsWithReadonlyAccess are the
	// projects the key is enabled in, with and without push access.
	// GitLab sends them only in the administrators' List (ordered by
	// project); they are nil in ListForUser.
	ProjectsWithWriteAccess    []*ProjectIdentity `json:"projects_with_write_access"`
	ProjectsWithReadonlyAccess []*ProjectIdentity `json:"projects_with_readonly_access"`
}

// ProjectIdentity names a project: what GitLab sends where a project is
// only referred to, such as the projects of a DeployKey.
//
// GitLab API docs: https://docs.gitlab.com/api/deploy_keys/#list-all-deploy-keys
type ProjectIdentity struct {
	ID                int64      `json:"id"`
	Description       string     `json:"description"`
	Name              string     `json:"name"`
	NameWithNamespace string     `json:"name_with_namespace"`
	Path              string     `json:"path"`
	PathWithNamespace string     `json:"path_with_namespace"`
	CreatedAt         *time.Time `json:"created_at"`
}

// ListDeployKeysOptions are the parameters of DeployKeysService.List and
// ListIter.
//
// GitLab API docs: https://docs.gitlab.com/api/deploy_keys/#list-all-deploy-keys
type ListDeployKeysOptions struct {
	ListOptions
	// Public set to true keeps only the instance's public deploy keys
	// (those an administrator made available to every project); GitLab's
	// default, false, lists every deploy key.
	Public *bool `url:"public,omitempty"`
}

// List returns one page of every deploy key of the instance, ordered by
// ID, each with the projects it is enabled in. Administrators only (in
// admin mode where it is on): anyone else gets 403; GitLab.com does not
// offer it (self-managed and Dedicated only).
//
// GitLab API docs: https://docs.gitlab.com/api/deploy_keys/#list-all-deploy-keys
func (s *DeployKeysService) List(ctx context.Context, opt *ListDeployKeysOptions, opts ...RequestOption) ([]*DeployKey, *Response, error) {
	return doList[*DeployKey](ctx, s.client, at("deploy_keys"), opt, opts)
}

// ListIter yields every deploy key of the instance, across pages.
// Administrators only, as List. opt is not modified.
//
// GitLab API docs: https://docs.gitlab.com/api/deploy_keys/#list-all-deploy-keys
func (s *DeployKeysService) ListIter(ctx context.Context, opt *ListDeployKeysOptions, opts ...RequestOption) iter.Seq2[*DeployKey, error] {
	return iterate[*DeployKey](ctx, s.client, at("deploy_keys"), opt, opts)
}

// ListForUser returns one page of the deploy keys enabled in the
// projects where both the caller and the user (named by ID or username)
// are at least Maintainer, whoever added each key; a key enabled in two
// such projects is listed twice. Keys the user added to other projects
// are not listed. Ordered by key ID, without the projects.
//
// Any authenticated user may call it (an anonymous caller has no
// projects to compare, and GitLab fails with a 500); for the user
// themself it lists the keys of every project they maintain. With no common project the
// answer is 403 "No common authorized project found" (ErrForbidden); an
// unknown user, or one the caller may not see, is 404 (ErrNotFound).
//
// GitLab API docs: https://docs.gitlab.com/api/deploy_keys/#list-project-deploy-keys-for-user
func (s *DeployKeysService) ListForUser(ctx context.Context, user UserRef, opt *ListOptions, opts ...RequestOption) ([]*DeployKey, *Response, error) {
	return doList[*DeployKey](ctx, s.client, at("users", user, "project_deploy_keys"), opt, opts)
}

// ListForUserIter yields the deploy keys of ListForUser across pages.
// Who may call it, and what it yields, is as for ListForUser. opt is not
// modified.
//
// GitLab API docs: https://docs.gitlab.com/api/deploy_keys/#list-project-deploy-keys-for-user
func (s *DeployKeysService) ListForUserIter(ctx context.Context, user UserRef, opt *ListOptions, opts ...RequestOption) iter.Seq2[*DeployKey, error] {
	return iterate[*DeployKey](ctx, s.client, at("users", user, "project_deploy_keys"), opt, opts)
}
