package gitlab

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/h2non/gock.v1"
)

// The library's runtime dependencies are exactly the two the
// contract allows (test-only modules may be listed too).
func TestModuleDependencies(t *testing.T) {
	b, err := os.ReadFile("go.mod")
	require.NoError(t, err)
	mod := string(b)
	assert.Contains(t, mod, "module github.com/gitlabusers/gitlab\n")
	assert.Contains(t, mod, "\ngo 1.24\n")
	allowed := map[string]bool{
		"github.com/hashicorp/go-retryablehttp": true,
		"github.com/google/go-querystring":      true,
		"github.com/stretchr/testify":           true,
		"gopkg.in/h2non/gock.v1":                true,
		"go.uber.org/goleak":                    true,
		"github.com/go-json-experiment/json":    true,
	}
	inBlock := false
	for _, line := range strings.Split(mod, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "require (":
			inBlock = true
			continue
		case line == ")":
			inBlock = false
			continue
		case strings.HasPrefix(line, "require "):
			line = strings.TrimPrefix(line, "require ")
		case !inBlock:
			continue
		}
		if line == "" || strings.Contains(line, "// indirect") {
			continue
		}
		path := strings.Fields(line)[0]
		assert.True(t, allowed[path], "unexpected direct dependency %s", path)
	}
}

// PRIVATE-TOKEN for NewClient, Bearer for NewOAuthClient, none
// for an empty token; a User-Agent naming the SDK and its version; Sudo.
func TestAuthHeaders(t *testing.T) {
	defer gock.Off()
	hc := &http.Client{}
	gock.InterceptClient(hc)

	seen := map[string]http.Header{}
	record := func(name string) gock.MatchFunc {
		return func(r *http.Request, _ *gock.Request) (bool, error) {
			seen[name] = r.Header.Clone()
			return true, nil
		}
	}
	gock.New(testHost).Get("/api/v4/user").AddMatcher(record("pat")).Reply(200).JSON(map[string]int{"id": 1})
	gock.New(testHost).Get("/api/v4/user").AddMatcher(record("oauth")).Reply(200).JSON(map[string]int{"id": 1})
	gock.New(testHost).Get("/api/v4/user").AddMatcher(record("anon")).Reply(200).JSON(map[string]int{"id": 1})
	gock.New(testHost).Get("/api/v4/user").AddMatcher(record("sudo")).Reply(200).JSON(map[string]int{"id": 1})

	get := func(c *Client, opts ...RequestOption) {
		t.Helper()
		_, _, err := do[map[string]int](context.Background(), c, http.MethodGet, at("user"), nil, opts)
		require.NoError(t, err)
	}
	pat, err := NewClient("pat-secret", WithBaseURL(testHost), WithHTTPClient(hc))
	require.NoError(t, err)
	get(pat)
	oauth, err := NewOAuthClient("oauth-secret", WithBaseURL(testHost), WithHTTPClient(hc))
	require.NoError(t, err)
	get(oauth)
	anon, err := NewClient("", WithBaseURL(testHost), WithHTTPClient(hc))
	require.NoError(t, err)
	get(anon)
	get(pat, WithSudo(Username("@jane")), WithHeader("X-Trace", "1"))

	assert.Equal(t, "pat-secret", seen["pat"].Get("Private-Token"))
	assert.Empty(t, seen["pat"].Get("Authorization"))
	assert.Equal(t, "Bearer oauth-secret", seen["oauth"].Get("Authorization"))
	assert.Empty(t, seen["oauth"].Get("Private-Token"))
	assert.Empty(t, seen["anon"].Get("Authorization"))
	assert.Empty(t, seen["anon"].Get("Private-Token"))
	assert.Equal(t, "jane", seen["sudo"].Get("Sudo"))
	assert.Equal(t, "1", seen["sudo"].Get("X-Trace"))
	for name, h := range seen {
		assert.Equal(t, "gitlabusers-go/"+Version+" (+https://github.com/gitlabusers/gitlab)", h.Get("User-Agent"), name)
		assert.Equal(t, "application/json", h.Get("Accept"), name)
	}
	assert.True(t, gock.IsDone())
}

func TestWithUserAgentAndSudoByID(t *testing.T) {
	c := newTestClient(t, WithUserAgent("my-bot/2.0"))
	mock("GET", "/user").MatchHeader("User-Agent", "^my-bot/2.0$").MatchHeader("Sudo", "^42$").Reply(200).JSON(map[string]int{"id": 42})
	_, _, err := do[map[string]int](context.Background(), c, http.MethodGet, at("user"), nil, []RequestOption{WithSudo(UserID(42))})
	require.NoError(t, err)
}

func TestRequestOptionErrorsStopTheRequest(t *testing.T) {
	c := newTestClient(t) // no mock: any request fails the test
	for name, opt := range map[string]RequestOption{
		"sudo empty":        WithSudo(Username("")),
		"sudo nil":          WithSudo(nil),
		"sudo zero":         WithSudo(UserID(0)),
		"sudo newline":      WithSudo(Username("a\nb")),
		"credential header": WithHeader("private-token", "x"),
		"authorization":     WithHeader("Authorization", "Bearer x"),
	} {
		_, err := doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, []RequestOption{opt})
		assert.ErrorIs(t, err, ErrInvalidArgument, name)
	}
}

func TestBaseURL(t *testing.T) {
	good := map[string]string{
		"https://gitlab.example.com":               "https://gitlab.example.com/api/v4/",
		"https://gitlab.example.com/":              "https://gitlab.example.com/api/v4/",
		"https://gitlab.example.com/api/v4":        "https://gitlab.example.com/api/v4/",
		"https://gitlab.example.com/api/v4/":       "https://gitlab.example.com/api/v4/",
		"https://host.example/gitlab/api/v4/":      "https://host.example/gitlab/api/v4/",
		"https://host.example/gitlab":              "https://host.example/gitlab/api/v4/",
		"http://127.0.0.1:8080":                    "http://127.0.0.1:8080/api/v4/",
		"HTTPS://GitLab.Example.com:8443/sub/dir/": "https://GitLab.Example.com:8443/sub/dir/api/v4/",
	}
	for in, want := range good {
		c, err := NewClient("t", WithBaseURL(in))
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, c.BaseURL(), in)
		}
	}
	c, err := NewClient("t")
	require.NoError(t, err)
	assert.Equal(t, "https://gitlab.com/api/v4/", c.BaseURL())

	bad := []string{
		"ftp://gitlab.example.com",
		"gitlab.example.com",
		"https://",
		"https:///api/v4",
		"https://gitlab.example.com/?private_token=x",
		"https://gitlab.example.com/?",
		"https://gitlab.example.com/#frag",
		"https://user:pass@gitlab.example.com",
		"https://gitlab.example.com:99999999999",
		"https://gitlab.example.com:0",
		"://nope",
		"",
	}
	for _, in := range bad {
		_, err := NewClient("t", WithBaseURL(in))
		assert.ErrorIs(t, err, ErrInvalidArgument, in)
		if err != nil {
			assert.NotContains(t, err.Error(), "pass@", in)
			assert.NotContains(t, err.Error(), "private_token=x", in)
		}
	}
}

func TestClientOptionsValidation(t *testing.T) {
	for name, opt := range map[string]ClientOption{
		"nil http client": WithHTTPClient(nil),
		"negative retry":  WithRetryMax(-1),
		"min > max":       WithRetryWait(time.Second, time.Millisecond),
		"negative min":    WithRetryWait(-time.Second, time.Second),
	} {
		_, err := NewClient("t", opt)
		assert.ErrorIs(t, err, ErrInvalidArgument, name)
	}
	c, err := NewClient("t", nil, WithoutRetries())
	require.NoError(t, err)
	assert.Equal(t, 0, c.retryMax)

	d, err := NewClient("t")
	require.NoError(t, err)
	assert.Equal(t, 4, d.retryMax)
	assert.Equal(t, 100*time.Millisecond, d.retryWaitMin)
	assert.Equal(t, 30*time.Second, d.retryWaitMax)
	assert.Nil(t, d.logger)
}

// Path segments are escaped one by one.
func TestEndpointEscaping(t *testing.T) {
	cases := []struct {
		ref  UserRef
		want string
	}{
		{UserID(42), "users/42/status"},
		{Username("jane"), "users/jane/status"},
		{Username("@jane"), "users/jane/status"},
		{Username("@@jane"), "users/@jane/status"},
		{Username("a/b"), "users/a%2Fb/status"},
		{Username("../admin"), "users/..%2Fadmin/status"},
		{Username(".."), "users/%2E%2E/status"},
		{Username("."), "users/%2E/status"},
		{Username("jöhn"), "users/j%C3%B6hn/status"},
		{Username("a?b#c d"), "users/a%3Fb%23c%20d/status"},
	}
	for _, tc := range cases {
		ep := at("users", tc.ref, "status")
		require.NoError(t, ep.err, tc.ref)
		assert.Equal(t, tc.want, ep.path)
	}
	assert.Equal(t, "users/1/identities/ldap%2Fmain", at("users", int64(1), "identities", segment{"provider", "ldap/main"}).path)

	for name, ep := range map[string]endpoint{
		"zero id":        at("users", int64(0)),
		"negative id":    at("users", int64(-3), "keys"),
		"empty username": at("users", Username(""), "status"),
		"only @":         at("users", Username("@"), "status"),
		"zero UserID":    at("users", UserID(0), "status"),
		"nil ref":        at("users", UserRef(nil), "status"),
		"empty segment":  at("users", int64(1), "identities", segment{"provider", ""}),
	} {
		assert.ErrorIs(t, ep.err, ErrInvalidArgument, name)
	}
	assert.Contains(t, at("users", int64(1), "identities", segment{"provider", ""}).err.Error(), "provider must not be empty")
}

type shapeOptions struct {
	ListOptions
	Search           *string    `url:"search,omitempty"`
	Active           *bool      `url:"active,omitempty"`
	CreatedAfter     *time.Time `url:"created_after,omitempty"`
	From             *ISODate   `url:"from,omitempty"`
	CustomAttributes Attributes `url:"custom_attributes,omitempty"`
	Scopes           []string   `url:"scopes,omitempty,brackets"`
	Avatar           *File      `url:"-"`
}

func (o *shapeOptions) attachment() (string, *File) {
	if o == nil {
		return "", nil
	}
	return "avatar", o.Avatar
}

// Options become the query for GET and DELETE and a form body for
// POST and PUT, with maps and slices in GitLab's bracket forms.
func TestRequestShapes(t *testing.T) {
	c := newTestClient(t)
	created := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	from := NewISODate(2017, 4, 4)
	opt := &shapeOptions{
		ListOptions:      ListOptions{Page: 2, PerPage: 50},
		Search:           Ptr("jo hn"),
		Active:           Ptr(false),
		CreatedAfter:     &created,
		From:             &from,
		CustomAttributes: map[string]string{"zone": "eu", "department": "ops"},
		Scopes:           []string{"api", "read_user"},
	}
	want := form("page", "2", "per_page", "50", "search", "jo hn", "active", "false",
		"created_after", "2024-01-02T03:04:05Z", "from", "2017-04-04",
		"custom_attributes[department]", "ops", "custom_attributes[zone]", "eu",
		"scopes[]", "api", "scopes[]", "read_user")
	assert.Equal(t, "active=false&created_after=2024-01-02T03%3A04%3A05Z&custom_attributes%5Bdepartment%5D=ops&custom_attributes%5Bzone%5D=eu&from=2017-04-04&page=2&per_page=50&scopes%5B%5D=api&scopes%5B%5D=read_user&search=jo+hn", want)

	mock("GET", "/things").AddMatcher(exactQuery(want)).AddMatcher(noBody).Reply(200).JSON([]int{})
	mock("DELETE", "/things/1").AddMatcher(exactQuery(want)).Reply(204)
	mock("POST", "/things").AddMatcher(exactQuery("")).AddMatcher(exactForm(want)).Reply(201).JSON(map[string]int{"id": 1})
	mock("PUT", "/things/1").AddMatcher(exactQuery("")).AddMatcher(exactForm(want)).Reply(200).JSON(map[string]int{"id": 1})
	mock("GET", "/things/2").AddMatcher(exactQuery("")).Reply(200).JSON(map[string]int{"id": 2})

	ctx := context.Background()
	_, _, err := do[[]int](ctx, c, http.MethodGet, at("things"), opt, nil)
	require.NoError(t, err)
	_, err = doNoValue(ctx, c, http.MethodDelete, at("things", int64(1)), opt, nil)
	require.NoError(t, err)
	_, _, err = do[map[string]int](ctx, c, http.MethodPost, at("things"), opt, nil)
	require.NoError(t, err)
	_, _, err = do[map[string]int](ctx, c, http.MethodPut, at("things", int64(1)), opt, nil)
	require.NoError(t, err)
	var nilOpt *shapeOptions // a nil options pointer is always allowed
	_, _, err = do[map[string]int](ctx, c, http.MethodGet, at("things", int64(2)), nilOpt, nil)
	require.NoError(t, err)
}

// A file turns the body into multipart/form-data carrying the
// same fields.
func TestMultipartBody(t *testing.T) {
	c := newTestClient(t)
	var got multipartBody
	mock("PUT", "/things/1").AddMatcher(multipartMatcher(&got)).Reply(200).JSON(map[string]int{"id": 1})

	opt := &shapeOptions{Search: Ptr("x"), Scopes: []string{"api"}, CustomAttributes: map[string]string{"k": "v"},
		Avatar: &File{Name: "me.png", Content: strings.NewReader("PNGDATA")}}
	_, _, err := do[map[string]int](context.Background(), c, http.MethodPut, at("things", int64(1)), opt, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string][]string{"search": {"x"}, "scopes[]": {"api"}, "custom_attributes[k]": {"v"}}, got.fields)
	assert.Equal(t, "me.png", got.fileName)
	assert.Equal(t, "PNGDATA", got.fileBody)

	for name, f := range map[string]*File{"nil content": {Name: "a.png"}, "no name": {Content: strings.NewReader("x")}} {
		_, _, err := do[map[string]int](context.Background(), c, http.MethodPut, at("things", int64(1)), &shapeOptions{Avatar: f}, nil)
		assert.ErrorIs(t, err, ErrInvalidArgument, name)
	}
}

type requiredOptions struct {
	Name *string `url:"name,omitempty"`
}

func (o *requiredOptions) validate() error {
	if o == nil || o.Name == nil {
		return invalidArg("name is required")
	}
	return nil
}

// Bad arguments fail before any request: nothing is registered with gock,
// so a request would fail the test.
func TestValidationBeforeRequest(t *testing.T) {
	c := newTestClient(t)
	ctx := context.Background()
	_, _, err := do[map[string]int](ctx, c, http.MethodPost, at("things"), (*requiredOptions)(nil), nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, _, err = do[map[string]int](ctx, c, http.MethodPost, at("things"), &requiredOptions{}, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), "name is required")
	_, err = doNoValue(ctx, c, http.MethodGet, at("users", int64(0)), nil, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	//nolint:staticcheck // a nil context is the bad input under test
	_, err = doNoValue(nil, c, http.MethodGet, at("user"), nil, nil) //lint:ignore SA1012 testing nil ctx
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

// What counts as success for methods with and without a value.
func TestDecoding(t *testing.T) {
	c := newTestClient(t)
	ctx := context.Background()
	noValue := []struct {
		status int
		body   string
	}{{204, ""}, {304, ""}, {200, ""}, {201, "true"}, {201, "null"}, {201, " true\n"}, {202, `{"message":"accepted"}`}}
	for _, tc := range noValue {
		mock("POST", "/users/1/follow").Reply(tc.status).BodyString(tc.body)
		// follow is where GitLab answers 304; elsewhere see TestNotModifiedOnlyWhereGitLabSendsIt
		resp, err := doNoValue(ctx, c, http.MethodPost, at("users", int64(1), "follow").allowNotModified(), nil, nil)
		require.NoError(t, err, "%d %q", tc.status, tc.body)
		assert.Equal(t, tc.status, resp.StatusCode)
	}

	type user struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	bad := []struct {
		status      int
		contentType string
		body        string
		want        string
	}{
		{200, "application/json", "", "empty body"},
		{200, "application/json", "null", "empty body"},
		{204, "", "", "empty body"},
		{200, "text/html", "<html>login</html>", "cannot decode the body"},
		{200, "application/json", `{"id":1`, "cannot decode the body"},
		{200, "application/json", `{"id":"one"}`, "cannot decode the body"},
		{200, "application/json", `[1,2]`, "cannot decode the body"},
	}
	for _, tc := range bad {
		mock("GET", "/user").Reply(tc.status).SetHeader("Content-Type", tc.contentType).BodyString(tc.body)
		u, _, err := do[*user](ctx, c, http.MethodGet, at("user"), nil, nil)
		require.Error(t, err, tc.body)
		assert.Nil(t, u)
		assert.ErrorIs(t, err, ErrUnexpectedResponse, tc.body)
		assert.False(t, errors.Is(err, io.EOF) && err.Error() == io.EOF.Error())
		assert.Contains(t, err.Error(), tc.want)
		assert.Contains(t, err.Error(), "GET https://gitlab.example.com/api/v4/user")
	}

	// 304 for a method with a value: no value, no error (Follow's case).
	mock("POST", "/users/2/follow").Reply(304)
	u, resp, err := do[*user](ctx, c, http.MethodPost, at("users", int64(2), "follow").allowNotModified(), nil, nil)
	require.NoError(t, err)
	assert.Nil(t, u)
	assert.Equal(t, http.StatusNotModified, resp.StatusCode)

	mock("GET", "/user").Reply(200).BodyString(`{"id":7,"name":"Ann","unknown":{"x":1}}`)
	u, _, err = do[*user](ctx, c, http.MethodGet, at("user"), nil, nil)
	require.NoError(t, err)
	assert.Equal(t, &user{ID: 7, Name: "Ann"}, u)
}

// A transport that leaves Request and Body unset cannot panic the client.
func TestBareResponsesFromTransport(t *testing.T) {
	for _, code := range []int{200, 404} {
		hc := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: code, Header: http.Header{}}, nil
		})}
		c, err := NewClient(testToken, WithBaseURL(testHost), WithHTTPClient(hc), WithoutRetries())
		require.NoError(t, err)
		_, _, err = do[map[string]any](context.Background(), c, http.MethodGet, at("user"), nil, nil)
		require.Error(t, err, code)
		assert.Contains(t, err.Error(), "GET https://gitlab.example.com/api/v4/user")
		_, err = doNoValue(context.Background(), c, http.MethodGet, at("user"), nil, nil)
		assert.Equal(t, code != 200, err != nil, code)
	}
}
