package gitlab

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	deployKeyED  = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ3dQhD8Pm5EqfG8ZqmNu0c8rW7z4ZCkN3tCTb0yf9xQ ci@runner-01"
	deployKeyRSA = "ssh-rsa AAAAB3NzaC1yc2EAAAABJQAAAIEAiPWx6WM4lhHNedGfBpPJNPpZ7yKu+dnn1SJejgt4596k6YjzGGphH2TUxwKzxcKDKKezwkpfnxPkSMkuEspGRt/aZZ9wa++Oi7Qkr8prgHc4soW6NUlfDzpvZK2H5E7eQaSeP3SAwGmQKUFHCddNaP0L+hM7zhFNzjFvpaMgJw0="
)

// userDeployKeysWant is list_user_project_deploy_keys.json decoded: no
// project lists, and the second key (FIPS) without an MD5 fingerprint.
func userDeployKeysWant(t *testing.T) []*DeployKey {
	return []*DeployKey{
		{ID: 1, Title: "Public key", CreatedAt: mustTime(t, "2013-10-02T10:12:29.000Z"),
			LastUsedAt: mustTime(t, "2024-05-06T07:08:09.000Z"), Key: deployKeyED, UsageType: SSHKeyUsageTypeAuth,
			Fingerprint:       "4a:9d:64:15:ed:3a:e6:07:6e:89:36:b3:3b:03:05:d9",
			FingerprintSHA256: "SHA256:Jrs3LD1Ji30xNLtTVf9NDCj7kkBgPBb2pjvTZ3HfIgU"},
		userDeployKeyFIPSWant(t),
	}
}

func userDeployKeyFIPSWant(t *testing.T) *DeployKey {
	return &DeployKey{ID: 3, Title: "FIPS key", CreatedAt: mustTime(t, "2013-10-02T11:12:29.000Z"),
		ExpiresAt: mustTime(t, "2030-01-31T00:00:00.000Z"), Key: deployKeyRSA, UsageType: SSHKeyUsageTypeAuthAndSigning,
		FingerprintSHA256: "SHA256:sWkMZf2NM1P+NV+kzvQyx7YmyW1FItgHTNOmJtkh2Kc"}
}

// adminDeployKeysWant is list_deploy_keys.json decoded, with each key's
// projects.
func adminDeployKeysWant(t *testing.T) []*DeployKey {
	project3 := &ProjectIdentity{ID: 74, Description: "Deploys the docs", Name: "project3",
		NameWithNamespace: "Sidney Jones / project3", Path: "project3", PathWithNamespace: "sidney_jones/project3",
		CreatedAt: mustTime(t, "2021-10-25T18:33:17.666Z")}
	keys := userDeployKeysWant(t)
	keys[0].ProjectsWithWriteAccess = []*ProjectIdentity{
		{ID: 73, Name: "project2", NameWithNamespace: "Sidney Jones / project2", Path: "project2",
			PathWithNamespace: "sidney_jones/project2", CreatedAt: mustTime(t, "2021-10-25T18:33:17.550Z")},
		project3,
	}
	keys[0].ProjectsWithReadonlyAccess = []*ProjectIdentity{}
	keys[1].ProjectsWithWriteAccess = []*ProjectIdentity{}
	keys[1].ProjectsWithReadonlyAccess = []*ProjectIdentity{project3}
	return keys
}

func adminDeployKeysPage2Want(t *testing.T) *DeployKey {
	return &DeployKey{ID: 9, Title: "Signing only", CreatedAt: mustTime(t, "2024-02-01T08:00:00.000Z"),
		Key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHh5aQz1fRk2xJq4cW5m3Qw8d7eYt0ZrUb1NvL9oXsPk", UsageType: SSHKeyUsageTypeSigning,
		Fingerprint: "11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00", FingerprintSHA256: "SHA256:q0TJe7w2vTcbd0t0RWhG3P3Jx9pDdzCg0Bv3dF0a1xM",
		ProjectsWithWriteAccess: []*ProjectIdentity{}, ProjectsWithReadonlyAccess: []*ProjectIdentity{}}
}

// A user's project deploy keys, for each way of naming the user: the
// path is one escaped segment, the pagination parameters are sent, and
// GitLab's refusals arrive as its errors.
func TestDeployKeysListForUser(t *testing.T) {
	for _, rc := range userRefCases {
		t.Run(rc.name, func(t *testing.T) {
			p := "/users/" + rc.segment + "/project_deploy_keys"
			runEndpointCases(t, []endpointCase{
				{name: "ListForUser", method: "GET", path: p, match: queryIs("page", "2", "per_page", "2"),
					headers: []string{"X-Total", "2"}, fixture: "list_user_project_deploy_keys.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.DeployKeys.ListForUser(ctx, rc.ref, &ListOptions{Page: 2, PerPage: 2}))
					},
					want:  userDeployKeysWant(t),
					check: func(t *testing.T, resp *Response, _ error) { require.Equal(t, 2, resp.TotalItems) }},
				{name: "ListForUserNoOptions", method: "GET", path: p, match: queryIs(), fixture: "list_user_project_deploy_keys.json",
					call: func(ctx context.Context, c *Client) (any, *Response, error) {
						return value(c.DeployKeys.ListForUser(ctx, rc.ref, nil))
					},
					want: userDeployKeysWant(t)},
			})
		})
	}
	runEndpointCases(t, []endpointCase{
		{name: "NoCommonProject", method: "GET", path: "/users/jane/project_deploy_keys", match: queryIs(),
			status: 403, json: map[string]string{"message": "403 Forbidden - No common authorized project found"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.DeployKeys.ListForUser(ctx, Username("jane"), nil))
			},
			wantErr: ErrForbidden, errMsg: "403 Forbidden - No common authorized project found"},
		{name: "UnknownUser", method: "GET", path: "/users/404/project_deploy_keys", match: queryIs(),
			status: 404, json: map[string]string{"message": "404 User Not Found"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.DeployKeys.ListForUser(ctx, UserID(404), nil))
			},
			wantErr: ErrNotFound, errMsg: "404 User Not Found"},
	})
}

// The iterator follows X-Next-Page with the caller's per_page and leaves
// the caller's options as they were.
func TestDeployKeysListForUserIter(t *testing.T) {
	c := newTestClient(t)
	mockTwoPages(t, "/users/j%C3%B6hn/project_deploy_keys", "list_user_project_deploy_keys.json",
		"list_user_project_deploy_keys_page_2.json", "per_page", "2")
	opt := &ListOptions{PerPage: 2}
	got := collect(t, c.DeployKeys.ListForUserIter(context.Background(), Username("jöhn"), opt))
	require.Equal(t, append(userDeployKeysWant(t), userDeployKeyFIPSWant(t)), got, "a key enabled in two common projects comes twice")
	require.Equal(t, &ListOptions{PerPage: 2}, opt)
}

// The administrators' list: public sent as GitLab reads a Boolean, and
// each key with its projects.
func TestDeployKeysList(t *testing.T) {
	runEndpointCases(t, []endpointCase{
		{name: "PublicOnly", method: "GET", path: "/deploy_keys", match: queryIs("page", "3", "per_page", "50", "public", "true"),
			fixture: "list_deploy_keys.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.DeployKeys.List(ctx, &ListDeployKeysOptions{ListOptions: ListOptions{Page: 3, PerPage: 50}, Public: Ptr(true)}))
			},
			want: adminDeployKeysWant(t)},
		{name: "PublicFalse", method: "GET", path: "/deploy_keys", match: queryIs("public", "false"), fixture: "list_deploy_keys.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.DeployKeys.List(ctx, &ListDeployKeysOptions{Public: Ptr(false)}))
			},
			want: adminDeployKeysWant(t)},
		{name: "NoOptions", method: "GET", path: "/deploy_keys", match: queryIs(), fixture: "list_deploy_keys.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.DeployKeys.List(ctx, nil))
			},
			want: adminDeployKeysWant(t)},
		{name: "NotAdmin", method: "GET", path: "/deploy_keys", match: queryIs(),
			status: 403, json: map[string]string{"message": "403 Forbidden"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.DeployKeys.List(ctx, nil))
			},
			wantErr: ErrForbidden, errMsg: "403 Forbidden"},
	})
}

func TestDeployKeysListIter(t *testing.T) {
	c := newTestClient(t)
	mockTwoPages(t, "/deploy_keys", "list_deploy_keys.json", "list_deploy_keys_page_2.json", "public", "true")
	opt := &ListDeployKeysOptions{Public: Ptr(true)}
	got := collect(t, c.DeployKeys.ListIter(context.Background(), opt))
	require.Equal(t, append(adminDeployKeysWant(t), adminDeployKeysPage2Want(t)), got)
	require.Equal(t, &ListDeployKeysOptions{Public: Ptr(true)}, opt)
}

func TestDeployKeyJSONRoundTrip(t *testing.T) {
	assertRoundTrip[[]*DeployKey](t, "list_deploy_keys.json")
	assertRoundTrip[[]*DeployKey](t, "list_user_project_deploy_keys.json")
}
