package gitlab

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	keysRSA = "ssh-rsa AAAAB3NzaC1yc2EAAAABJQAAAIEAiPWx6WM4lhHNedGfBpPJNPpZ7yKu+dnn1SJejgt4596k6YjzGGphH2TUxwKzxcKDKKezwkpfnxPkSMkuEspGRt/aZZ9wa++Oi7Qkr8prgHc4soW6NUlfDzpvZK2H5E7eQaSeP3SAwGmQKUFHCddNaP0L+hM7zhFNzjFvpaMgJw0= John Smith (gitlab.example.com)"
	keysED  = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDk5xKvBnLRX0kI5cfOY1ChEKJ1UbtSM3LFXgPlfzJvA John Smith (gitlab.example.com)"
	keysDSS = "ssh-dss AAAAB3NzaC1kc3MAAACBAMLrhYgI3atfrSD6KDas1b/3n6R/HP+bLaHHX6oh+L1vg31mdUqK0Ac/NjZoQunavoyzqdPYhFz9zzOezCrZKjuJDS3NRK9rspvjgM0xYR4d47oNZbdZbwkI4cTv/gcMlquRy0OvpfIvJtjtaJWMwTLtM5VhRusRuUlpH99UUVeXAAAAFQCVyX+92hBEjInEKL0v13c/egDCTQAAAIEAvFdWGq0ccOPbw4f/F8LpZqvWDydAcpXHV3thwb7WkFfppvm4SZte0zds1FJ+Hr8Xzzc5zMHe6J4Nlay/rP4ewmIW7iFKNBEYb/yWa+ceLrs+TfR672TaAgO6o7iSRofEq5YLdwgrwkMmIawa21FrZ2D9SPao/IwvENzk/xcHu7YAAACAQFXQH6HQnxOrw4dqf0NqeKy1tfIPxYYUZhPJfo9O0AmBW2S36pD2l14kS89fvz6Y1g8gN/FwFnRncMzlLY/hX70FSc/3hKBSbH6C6j8hwlgFKfizav21eS358JJz93leOakJZnGb8XlWvz1UJbwCsnR2VEY8Dz90uIk1l/UqHkA= John Smith (gitlab.example.com)"
)

// keysListWant is list_ssh_keys.json decoded.
func keysListWant(t *testing.T) []*SSHKey {
	return []*SSHKey{
		{
			ID: 1, Title: "Public key", Key: keysRSA,
			CreatedAt: mustTime(t, "2014-08-01T14:47:39.080Z"),
			ExpiresAt: mustTime(t, "2026-05-05T12:30:00.000Z"),
			UsageType: SSHKeyUsageTypeAuth,
		},
		{
			ID: 3, Title: "Another Public key", Key: keysED,
			CreatedAt: mustTime(t, "2014-08-02T09:12:01.520Z"),
			ExpiresAt: nil,
			UsageType: SSHKeyUsageTypeSigning,
		},
	}
}

func keysCreatedWant(t *testing.T) *SSHKey {
	return &SSHKey{
		ID: 4, Title: "ABC", Key: keysDSS,
		CreatedAt: mustTime(t, "2015-09-03T07:24:44.627Z"),
		ExpiresAt: mustTime(t, "2016-01-21T00:00:00.000Z"),
		UsageType: SSHKeyUsageTypeSigning,
	}
}

// The calls of SSHKeysService: the request each sends and what it
// decodes.
func TestSSHKeys(t *testing.T) {
	createdFull := &CreateSSHKeyOptions{
		Title:     Ptr("ABC"),
		Key:       Ptr("ssh-dss AAAAB3NzaC1kc3M loic@call"),
		ExpiresAt: Ptr(time.Date(2016, 1, 21, 0, 0, 0, 0, time.UTC)),
		UsageType: Ptr(SSHKeyUsageTypeSigning),
	}
	createdForUser := *createdFull
	createdForUser.UsageType = Ptr(SSHKeyUsageTypeAuthAndSigning)
	cases := []endpointCase{
		{name: "List", method: "GET", path: "/user/keys", match: queryIs("page", "2", "per_page", "50"),
			headers: []string{"X-Total", "52", "X-Page", "2"}, fixture: "list_ssh_keys.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SSHKeys.List(ctx, &ListOptions{Page: 2, PerPage: 50}))
			},
			want: keysListWant(t),
			check: func(t *testing.T, resp *Response, _ error) {
				assert.Equal(t, 52, resp.TotalItems)
				assert.Equal(t, 2, resp.CurrentPage)
			}},
		{name: "ListNilOptions", method: "GET", path: "/user/keys", match: queryIs(), fixture: "list_ssh_keys.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) { return value(c.SSHKeys.List(ctx, nil)) },
			want: keysListWant(t)},
		{name: "Get", method: "GET", path: "/user/keys/1", match: queryIs(), fixture: "get_ssh_key.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) { return value(c.SSHKeys.Get(ctx, 1)) },
			want: &SSHKey{
				ID: 1, Title: "Public key", Key: keysRSA,
				CreatedAt: mustTime(t, "2014-08-01T14:47:39.080Z"),
				ExpiresAt: mustTime(t, "2026-05-05T12:30:00.000Z"),
				UsageType: SSHKeyUsageTypeAuthAndSigning,
			}},
		// A missing key is a *ErrorResponse matching ErrNotFound.
		{name: "GetNotFound", method: "GET", path: "/user/keys/9",
			status: 404, json: map[string]string{"message": "404 Key Not Found"},
			call:    func(ctx context.Context, c *Client) (any, *Response, error) { return value(c.SSHKeys.Get(ctx, 9)) },
			wantErr: ErrNotFound, errMsg: "404 Key Not Found"},
		{name: "Create", method: "POST", path: "/user/keys",
			match: formIs("title", "ABC", "key", "ssh-dss AAAAB3NzaC1kc3M loic@call",
				"expires_at", "2016-01-21T00:00:00Z", "usage_type", "signing"),
			status: 201, fixture: "create_ssh_key.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SSHKeys.Create(ctx, createdFull))
			},
			want: keysCreatedWant(t)},
		// Only the required fields are sent when the optional ones are unset.
		{name: "CreateRequiredOnly", method: "POST", path: "/user/keys",
			match:  formIs("title", "laptop", "key", "ssh-ed25519 AAAAC3 me@laptop"),
			status: 201, fixture: "create_ssh_key.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SSHKeys.Create(ctx, &CreateSSHKeyOptions{Title: Ptr("laptop"), Key: Ptr("ssh-ed25519 AAAAC3 me@laptop")}))
			},
			want: keysCreatedWant(t)},
		{name: "CreateForUser", method: "POST", path: "/users/42/keys",
			match: formIs("title", "ABC", "key", "ssh-dss AAAAB3NzaC1kc3M loic@call",
				"expires_at", "2016-01-21T00:00:00Z", "usage_type", "auth_and_signing"),
			status: 201, fixture: "create_ssh_key.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SSHKeys.CreateForUser(ctx, 42, &createdForUser))
			},
			want: keysCreatedWant(t)},
		{name: "GetForUser", method: "GET", path: "/users/42/keys/3", match: queryIs(), fixture: "get_ssh_key_for_user.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SSHKeys.GetForUser(ctx, 42, 3))
			},
			want: &SSHKey{
				ID: 3, Title: "Another Public key", Key: keysED,
				CreatedAt:  mustTime(t, "2014-08-02T09:12:01.520Z"),
				LastUsedAt: mustTime(t, "2025-02-01T10:00:00.000Z"),
				UsageType:  SSHKeyUsageTypeSigning,
			}},
		{name: "GetWithUser", method: "GET", path: "/keys/1", match: queryIs(), fixture: "get_key_with_user.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SSHKeys.GetWithUser(ctx, 1))
			},
			want: keysWithUserWant(t)},
		// For a deploy key's fingerprint GitLab answers the deploy key: the
		// key as stored, its fingerprints and the projects it is enabled in.
		{name: "GetByFingerprintDeployKey", method: "GET", path: "/keys",
			match:   []matcher{exactQuery("fingerprint=SHA256%3AJrs3LD1Ji30xNLtTVf9NDCj7kkBgPBb2pjvTZ3HfIgU")},
			fixture: "get_deploy_key_with_user.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SSHKeys.GetByFingerprint(ctx, "SHA256:Jrs3LD1Ji30xNLtTVf9NDCj7kkBgPBb2pjvTZ3HfIgU"))
			},
			want: keysDeployKeyWant(t)},
	}

	for _, user := range userRefCases {
		cases = append(cases, endpointCase{name: "ListForUser/" + user.name, method: "GET", path: "/users/" + user.segment + "/keys",
			match: queryIs("per_page", "100"), fixture: "list_ssh_keys.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SSHKeys.ListForUser(ctx, user.ref, &ListOptions{PerPage: 100}))
			},
			want: keysListWant(t)})
	}

	// expires_at is a full timestamp (YYYY-MM-DDTHH:MM:SSZ), never a bare
	// date; fractions of a second are dropped and a zone keeps its offset.
	for name, at := range map[string]struct {
		at   time.Time
		sent string
	}{
		"midnight UTC":     {time.Date(2016, 1, 21, 0, 0, 0, 0, time.UTC), "2016-01-21T00:00:00Z"},
		"time of day UTC":  {time.Date(2026, 5, 5, 12, 30, 15, 0, time.UTC), "2026-05-05T12:30:15Z"},
		"fraction dropped": {time.Date(2026, 5, 5, 12, 30, 15, 999_999_999, time.UTC), "2026-05-05T12:30:15Z"},
		"offset kept":      {time.Date(2026, 5, 5, 13, 30, 15, 0, time.FixedZone("CET", 3600)), "2026-05-05T13:30:15+01:00"},
	} {
		cases = append(cases, endpointCase{name: "CreateExpiresAtEncoding/" + name, method: "POST", path: "/users/7/keys",
			match:  formIs("title", "t", "key", "k", "expires_at", at.sent),
			status: 201, fixture: "create_ssh_key.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SSHKeys.CreateForUser(ctx, 7, &CreateSSHKeyOptions{Title: Ptr("t"), Key: Ptr("k"), ExpiresAt: Ptr(at.at)}))
			},
			want: keysCreatedWant(t)})
	}

	// Both fingerprint forms are escaped whole in the query: ":" as %3A,
	// "+" as %2B, "/" as %2F, so a "+" never arrives as a space.
	for fp, q := range map[string]string{
		"ba:81:59:68:d7:6c:cd:02:02:bf:6a:9b:55:4e:af:d1":    "fingerprint=ba%3A81%3A59%3A68%3Ad7%3A6c%3Acd%3A02%3A02%3Abf%3A6a%3A9b%3A55%3A4e%3Aaf%3Ad1",
		"SHA256:Jrs3LD1Ji30xNLtTVf9NDCj7kkBgPBb2pjvTZ3H+I/U": "fingerprint=SHA256%3AJrs3LD1Ji30xNLtTVf9NDCj7kkBgPBb2pjvTZ3H%2BI%2FU",
	} {
		cases = append(cases, endpointCase{name: "GetByFingerprint/" + fp, method: "GET", path: "/keys",
			match: []matcher{exactQuery(q)}, fixture: "get_key_with_user.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SSHKeys.GetByFingerprint(ctx, fp))
			},
			want: keysWithUserWant(t)})
	}
	runEndpointCases(t, cases)
}

// keysBothPagesWant is list_ssh_keys.json then its page 2 decoded.
func keysBothPagesWant(t *testing.T) []*SSHKey {
	return append(keysListWant(t), &SSHKey{
		ID: 7, Title: "CI deploy", Key: keysED,
		CreatedAt: mustTime(t, "2015-01-10T08:00:00.000Z"),
		UsageType: SSHKeyUsageTypeAuthAndSigning,
	})
}

func TestSSHKeysListIter(t *testing.T) {
	c := newTestClient(t)
	mockTwoPages(t, "/user/keys", "list_ssh_keys.json", "list_ssh_keys_page_2.json", "per_page", "2")

	opt := &ListOptions{PerPage: 2}
	require.Equal(t, keysBothPagesWant(t), collect(t, c.SSHKeys.ListIter(context.Background(), opt)))
	assert.Equal(t, &ListOptions{PerPage: 2}, opt, "the caller's options are not changed")
}

// ListForUserIter follows the Link header and keeps the escaped username.
func TestSSHKeysListForUserIter(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/a%2Fb/keys").AddMatcher(exactQuery("")).
		Reply(200).SetHeader("Link", `<`+testHost+apiPrefix+`/users/a%2Fb/keys?page=2&per_page=2>; rel="next"`).
		BodyString(string(fixture(t, "list_ssh_keys.json")))
	mock("GET", "/users/a%2Fb/keys").AddMatcher(exactQuery(form("page", "2", "per_page", "2"))).
		Reply(200).BodyString(string(fixture(t, "list_ssh_keys_page_2.json")))

	got := collect(t, c.SSHKeys.ListForUserIter(context.Background(), Username("a/b"), nil))
	require.Equal(t, keysBothPagesWant(t), got)
}

func TestSSHKeyJSONRoundTrip(t *testing.T) {
	assertRoundTrip[SSHKey](t, "get_ssh_key.json")
	assertRoundTrip[SSHKey](t, "create_ssh_key.json")
	assertRoundTrip[[]SSHKey](t, "list_ssh_keys.json")
}

// keysWithUserWant is get_key_with_user.json decoded.
func keysWithUserWant(t *testing.T) *KeyWithUser {
	return &KeyWithUser{
		SSHKey: SSHKey{
			ID: 1, Title: "Sample key 25", Key: keysED,
			CreatedAt: mustTime(t, "2015-09-03T07:24:44.627Z"),
			ExpiresAt: mustTime(t, "2026-05-05T12:30:00.000Z"),
			UsageType: SSHKeyUsageTypeAuth,
		},
		User: &User{
			ID: 25, Username: "john_smith", Name: "John Smith", State: UserStateActive,
			AvatarURL:        "http://www.gravatar.com/avatar/cfa35b8cd2ec278026357769582fa563?s=40&d=identicon",
			WebURL:           "http://localhost:3000/john_smith",
			CreatedAt:        mustTime(t, "2015-09-03T07:24:01.670Z"),
			GitHub:           "jsmith",
			LastSignInAt:     mustTime(t, "2015-09-03T07:24:02.670Z"),
			ConfirmedAt:      mustTime(t, "2015-09-03T07:24:02.495Z"),
			LastActivityOn:   Ptr(NewISODate(2015, time.September, 3)),
			Email:            "john@example.com",
			ThemeID:          2,
			ColorSchemeID:    1,
			ProjectsLimit:    10,
			Identities:       []*Identity{},
			CanCreateGroup:   true,
			CanCreateProject: true,
			CommitEmail:      "john@example.com", PreferredLanguage: "en",
		},
	}
}

// keysDeployKeyWant is get_deploy_key_with_user.json decoded.
func keysDeployKeyWant(t *testing.T) *KeyWithUser {
	return &KeyWithUser{
		SSHKey: SSHKey{
			ID: 7, Title: "Deploy key",
			Key:        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDk5xKvBnLRX0kI5cfOY1ChEKJ1UbtSM3LFXgPlfzJvA deploy@ci",
			CreatedAt:  mustTime(t, "2024-01-10T08:00:00.000Z"),
			LastUsedAt: mustTime(t, "2025-03-01T12:00:00.000Z"),
			UsageType:  SSHKeyUsageTypeAuth,
		},
		Fingerprint:       "4a:9d:64:15:ed:3a:e6:07:6e:89:36:b3:3b:03:05:d9",
		FingerprintSHA256: "Jrs3LD1Ji30xNLtTVf9NDCj7kkBgPBb2pjvTZ3HfIgU",
		User: &User{
			ID: 25, Username: "john_smith", Name: "John Smith", State: UserStateActive,
			AvatarURL: "http://www.gravatar.com/avatar/cfa35b8cd2ec278026357769582fa563?s=40&d=identicon",
			WebURL:    "http://localhost:3000/john_smith", Email: "john@example.com",
		},
		DeployKeysProjects: []*DeployKeyProject{
			{ID: 12, DeployKeyID: 7, ProjectID: 81, CanPush: true,
				CreatedAt: mustTime(t, "2024-01-10T08:00:00.000Z"), UpdatedAt: mustTime(t, "2024-01-11T08:00:00.000Z")},
			{ID: 13, DeployKeyID: 7, ProjectID: 82, CanPush: false,
				CreatedAt: mustTime(t, "2024-01-12T08:00:00.000Z"), UpdatedAt: mustTime(t, "2024-01-12T08:00:00.000Z")},
		},
	}
}

func TestKeyWithUserJSONRoundTrip(t *testing.T) {
	assertRoundTrip[SSHKey](t, "get_ssh_key_for_user.json")
	assertRoundTrip[KeyWithUser](t, "get_key_with_user.json")
	assertRoundTrip[KeyWithUser](t, "get_deploy_key_with_user.json")
}
