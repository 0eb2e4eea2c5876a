package gitlabtest

import (
	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// hUserProjectDeployKeys is GET /users/:user_id/project_deploy_keys
// (lib/api/users.rb): pagination (400), the user (404 User, by ID or
// username), then the model's rule: 403 "No common authorized project
// found", 500 for an anonymous caller, or the keys, once per project
// they are enabled in, without the project arrays.
func hUserProjectDeployKeys(c *reqCtx) answer {
	u, pg, fail := c.listOwner(anyUser)
	if fail != nil {
		return *fail
	}
	rows, err := c.s.st.ProjectDeployKeys(c.viewer, u, c.now)
	if err != nil {
		return refusal(err)
	}
	return listAnswer(c, rows, pg, false, func(r model.EnabledKey) any { return c.deployKeyJSON(r.Key, false) })
}

// hListDeployKeys is GET /deploy_keys (lib/api/deploy_keys.rb):
// administrators only (401, 403), public (Boolean, default false: true
// keeps the instance-wide keys), pagination; each key with the projects
// it may write to and those it may only read.
func hListDeployKeys(c *reqCtx) answer {
	if fail := c.requireAdmin(); fail != nil {
		return *fail
	}
	v := c.validate()
	public := v.optBool("public")
	pg := v.pages()
	if fail := v.check(); fail != nil {
		return *fail
	}
	keys := c.s.st.DeployKeys(public != nil && *public)
	return listAnswer(c, keys, pg, false, func(k *model.DeployKey) any { return c.deployKeyJSON(k, true) })
}

// deployKeyJSON renders GitLab's DeployKey entity (lib/api/entities/
// deploy_key.rb): the key as stored, comment included; fingerprint only
// when there is one; with projects, the admin list's two ProjectIdentity
// arrays, by project.
func (c *reqCtx) deployKeyJSON(k *model.DeployKey, projects bool) *obj {
	o := (&obj{}).set("id", k.ID).set("title", k.Title).set("created_at", tsv(k.CreatedAt)).
		set("expires_at", ts(k.ExpiresAt)).set("last_used_at", ts(k.LastUsedAt)).set("key", k.Key).
		set("usage_type", k.UsageType)
	if k.Fingerprint != "" {
		o.set("fingerprint", k.Fingerprint)
	}
	o.set("fingerprint_sha256", k.FingerprintSHA256)
	if !projects {
		return o
	}
	write, read := []*obj{}, []*obj{}
	for _, link := range k.Projects {
		p := c.s.st.Project(link.ProjectID)
		if p == nil {
			continue
		}
		if link.CanPush {
			write = append(write, c.projectIdentityJSON(p))
		} else {
			read = append(read, c.projectIdentityJSON(p))
		}
	}
	return o.set("projects_with_write_access", write).set("projects_with_readonly_access", read)
}

// projectIdentityJSON renders GitLab's ProjectIdentity entity
// (lib/api/entities/project_identity.rb).
func (c *reqCtx) projectIdentityJSON(p *project) *obj {
	ns := ""
	if g := c.s.st.Group(p.GroupID); g != nil {
		ns = c.groupFullName(g)
	} else if owner := c.s.st.User(p.OwnerID); owner != nil {
		ns = owner.Name
	}
	return (&obj{}).set("id", p.ID).set("description", nullIfEmpty(p.Description)).set("name", p.Name).
		set("name_with_namespace", ns+" / "+p.Name).set("path", p.Path).set("path_with_namespace", p.PathWithNamespace).
		set("created_at", tsv(p.CreatedAt))
}
