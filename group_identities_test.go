package gitlab

import (
	"context"
	"encoding/json"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// groupRefSegments are the ways to name a group in a path, each with
// the one escaped segment it must become.
var groupRefSegments = []struct {
	name    string
	ref     GroupRef
	segment string
}{
	{"id", GroupID(33), "33"},
	{"path", GroupPath("corp"), "corp"},
	{"nested path", GroupPath("corp/eng"), "corp%2Feng"},
}

// uidSegments are extern UIDs with the segment each must become: dots
// and "@" as they are (GitLab's :uid allows them), "/" escaped so that
// the UID stays one segment, and the dot segments escaped.
var uidSegments = []struct{ uid, segment string }{
	{"saml-test@gmail.com", "saml-test@gmail.com"},
	{"CN=Jane/OU=eng", "CN=Jane%2FOU=eng"},
	{"a b+c", "a%20b%2Bc"},
	{"..", "%2E%2E"},
}

func samlIdentitiesWant() []*GroupIdentity {
	return []*GroupIdentity{{ExternUID: "yrnZW46BrtBFqM7xDzE7dddd", UserID: 48}, {ExternUID: "saml-test@gmail.com", UserID: 49}}
}

func scimIdentitiesWant() []*GroupIdentity {
	return []*GroupIdentity{{ExternUID: "be20d8dcc028677c931e04f387", UserID: 48, Active: true}, {ExternUID: "Okta.User-7", UserID: 52}}
}

// Every route of both services, for each way of naming the group: the
// lists send no parameters, PATCH sends extern_uid as its form, DELETE
// sends nothing and reads GitLab's 204.
func TestGroupIdentitiesEndpoints(t *testing.T) {
	for _, g := range groupRefSegments {
		t.Run(g.name, func(t *testing.T) {
			for _, kind := range []struct {
				name string
				svc  func(*Client) groupIdentities
				list string
				one  string
				want []*GroupIdentity
			}{
				{"saml", func(c *Client) groupIdentities { return c.SAMLIdentities }, "list_saml_identities.json", "saml_identity.json", samlIdentitiesWant()},
				{"scim", func(c *Client) groupIdentities { return c.SCIMIdentities }, "list_scim_identities.json", "scim_identity.json", scimIdentitiesWant()},
			} {
				p := "/groups/" + g.segment + "/" + kind.name
				uid := "Okta.User-7@corp.example"
				runEndpointCases(t, []endpointCase{
					{name: kind.name + "List", method: "GET", path: p + "/identities", match: queryIs(), fixture: kind.list,
						call: func(ctx context.Context, c *Client) (any, *Response, error) {
							return value(kind.svc(c).List(ctx, g.ref))
						},
						want: kind.want},
					{name: kind.name + "Get", method: "GET", path: p + "/" + uid, match: queryIs(), fixture: kind.one,
						call: func(ctx context.Context, c *Client) (any, *Response, error) {
							return value(kind.svc(c).Get(ctx, g.ref, uid))
						},
						want: kind.want[1]},
					{name: kind.name + "Update", method: "PATCH", path: p + "/" + uid, match: formIs("extern_uid", "new.uid@corp.example"), fixture: kind.one,
						call: func(ctx context.Context, c *Client) (any, *Response, error) {
							return value(kind.svc(c).Update(ctx, g.ref, uid, &UpdateGroupIdentityOptions{ExternUID: Ptr("new.uid@corp.example")}))
						},
						want: kind.want[1]},
					{name: kind.name + "Delete", method: "DELETE", path: p + "/" + uid, match: []matcher{exactQuery(""), noBody}, status: 204,
						call: func(ctx context.Context, c *Client) (any, *Response, error) {
							return noValue(kind.svc(c).Delete(ctx, g.ref, uid))
						}},
				})
			}
		})
	}
}

// groupIdentities is what SAMLIdentitiesService and
// SCIMIdentitiesService have in common, for tests that run on both.
type groupIdentities interface {
	List(context.Context, GroupRef, ...RequestOption) ([]*GroupIdentity, *Response, error)
	Get(context.Context, GroupRef, string, ...RequestOption) (*GroupIdentity, *Response, error)
	Update(context.Context, GroupRef, string, *UpdateGroupIdentityOptions, ...RequestOption) (*GroupIdentity, *Response, error)
	Delete(context.Context, GroupRef, string, ...RequestOption) (*Response, error)
}

// An extern UID is always one escaped path segment.
func TestGroupIdentityUIDIsOneSegment(t *testing.T) {
	for _, u := range uidSegments {
		runEndpointCases(t, []endpointCase{
			{name: "saml " + u.uid, method: "GET", path: "/groups/33/saml/" + u.segment, match: queryIs(), fixture: "saml_identity.json",
				call: func(ctx context.Context, c *Client) (any, *Response, error) {
					return value(c.SAMLIdentities.Get(ctx, GroupID(33), u.uid))
				},
				want: samlIdentitiesWant()[1]},
			{name: "scim " + u.uid, method: "DELETE", path: "/groups/33/scim/" + u.segment, match: queryIs(), status: 204,
				call: func(ctx context.Context, c *Client) (any, *Response, error) {
					return noValue(c.SCIMIdentities.Delete(ctx, GroupID(33), u.uid))
				}},
		})
	}
}

// GitLab's refusals keep their status and words: 400 without a SAML
// provider, 403 below Owner, 404 Group and 404 Identity, and the
// model's message for a taken UID.
func TestGroupIdentitiesErrors(t *testing.T) {
	runEndpointCases(t, []endpointCase{
		{name: "NoSAMLProvider", method: "GET", path: "/groups/33/saml/identities", match: queryIs(),
			status: 400, json: map[string]string{"message": "400 Bad request"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SAMLIdentities.List(ctx, GroupID(33)))
			},
			wantErr: ErrBadRequest, errMsg: "400 Bad request"},
		{name: "Maintainer", method: "GET", path: "/groups/33/scim/identities", match: queryIs(),
			status: 403, json: map[string]string{"message": "403 Forbidden"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SCIMIdentities.List(ctx, GroupID(33)))
			},
			wantErr: ErrForbidden, errMsg: "403 Forbidden"},
		{name: "NoGroup", method: "GET", path: "/groups/corp/saml/x", match: queryIs(),
			status: 404, json: map[string]string{"message": "404 Group Not Found"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SAMLIdentities.Get(ctx, GroupPath("corp"), "x"))
			},
			wantErr: ErrNotFound, errMsg: "404 Group Not Found"},
		{name: "NoIdentity", method: "DELETE", path: "/groups/33/saml/x", match: queryIs(),
			status: 404, fixture: "error_404_identity.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noValue(c.SAMLIdentities.Delete(ctx, GroupID(33), "x"))
			},
			wantErr: ErrNotFound, errMsg: "404 Identity Not Found"},
		{name: "Taken", method: "PATCH", path: "/groups/33/saml/x", match: formIs("extern_uid", "y"),
			status: 400, fixture: "error_400_saml_extern_uid_taken.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.SAMLIdentities.Update(ctx, GroupID(33), "x", &UpdateGroupIdentityOptions{ExternUID: Ptr("y")}))
			},
			wantErr: ErrBadRequest, errMsg: "Extern uid has already been taken. Please contact your administrator to generate a unique extern_uid / NameID"},
	})
}

// The iterators of these unpaginated lists end after GitLab's one
// answer, which has no pagination headers.
func TestGroupIdentitiesListIter(t *testing.T) {
	for _, kind := range []struct {
		name    string
		iter    func(*Client, context.Context, GroupRef) iter.Seq2[*GroupIdentity, error]
		fixture string
		want    []*GroupIdentity
	}{
		{"saml", func(c *Client, ctx context.Context, g GroupRef) iter.Seq2[*GroupIdentity, error] {
			return c.SAMLIdentities.ListIter(ctx, g)
		}, "list_saml_identities.json", samlIdentitiesWant()},
		{"scim", func(c *Client, ctx context.Context, g GroupRef) iter.Seq2[*GroupIdentity, error] {
			return c.SCIMIdentities.ListIter(ctx, g)
		}, "list_scim_identities.json", scimIdentitiesWant()},
	} {
		t.Run(kind.name, func(t *testing.T) {
			c := newTestClient(t)
			mock("GET", "/groups/corp%2Feng/"+kind.name+"/identities").AddMatcher(exactQuery("")).
				Reply(200).BodyString(string(fixture(t, kind.fixture)))
			got := collect(t, kind.iter(c, context.Background(), GroupPath("corp/eng")))
			assert.Equal(t, kind.want, got)
		})
	}
}

func TestGroupIdentityRoundTrip(t *testing.T) {
	assertRoundTrip[[]*GroupIdentity](t, "list_saml_identities.json")
	assertRoundTrip[[]*GroupIdentity](t, "list_scim_identities.json")
	assertRoundTrip[GroupIdentity](t, "scim_identity.json")
}

// The SAML identity has no active key; the SCIM one has, and a user's
// SCIM identities name their group (or null for an instance one).
func TestSCIMIdentitiesOfUsersDecode(t *testing.T) {
	var users []*User
	require.NoError(t, json.Unmarshal(fixture(t, "list_provisioned_users_page_2.json"), &users))
	require.Len(t, users, 1)
	assert.Equal(t, []*SCIMIdentity{{ExternUID: "deploy-1", Active: true}}, users[0].SCIMIdentities)
	var one GroupIdentity
	require.NoError(t, json.Unmarshal(fixture(t, "saml_identity.json"), &one))
	assert.Equal(t, GroupIdentity{ExternUID: "saml-test@gmail.com", UserID: 49}, one)
}
