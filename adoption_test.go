package gitlab

// What a team adopting the SDK meets first: error and log text a person
// can act on, the escape hatch, and options that cannot be mistyped.

import (
	"context"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Error() shows the status once, then GitLab's message without the
// status GitLab repeats in it; a failure after retries says so.
func TestErrorTextStatusOnce(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{404, `{"message":"404 User Not Found"}`, "404 User Not Found"},
		{401, `{"message":"401 Unauthorized"}`, "401 Unauthorized"},
		{502, `<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`, "502 Bad Gateway (after 5 attempts)"},
		{403, `{"message":"403 Forbidden - A user cannot be deactivated by the API"}`, "403 Forbidden - A user cannot be deactivated by the API"},
		{400, `{"message":{"email":["has already been taken"]}}`, "400 email has already been taken"},
	} {
		srv := newRecordingServer(t, reply(tc.status, tc.body))
		_, _, err := fastClient(t, srv.URL).Users.Get(context.Background(), 7, nil)
		var er *ErrorResponse
		require.ErrorAs(t, err, &er)
		assert.Equal(t, "gitlab: GET "+srv.URL+"/api/v4/users/7: "+tc.want, err.Error())
	}
}

// A transport failure after retries says how many attempts were made.
func TestErrorTextAttempts(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	_, _, err = fastClient(t, "http://"+addr).Users.Get(context.Background(), 7, nil)
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.ECONNREFUSED))
	assert.Regexp(t, `connection refused \(after 5 attempts\)$`, err.Error())

	_, _, err = fastClient(t, "http://"+addr, WithoutRetries()).Users.Get(context.Background(), 7, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "attempts", "one attempt is not worth a word")

	srv := newRecordingServer(t, reply(http.StatusServiceUnavailable, `{"message":"503 Service Unavailable"}`))
	_, _, err = fastClient(t, srv.URL, WithRetryMax(2)).Users.Get(context.Background(), 7, nil)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, 3, er.Attempts)
	assert.Equal(t, "gitlab: GET "+srv.URL+"/api/v4/users/7: 503 Service Unavailable (after 3 attempts)", er.Error())
}

// The escape hatch goes the way of every method: the client's
// credentials, the retry policy (a POST answered 502 is sent once,
// unless marked idempotent), the error type and the decoder.
func TestEscapeHatch(t *testing.T) {
	var body string
	srv := newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		body = readBody(r)
		switch {
		case r.Method == http.MethodGet && r.URL.EscapedPath() == "/api/v4/projects/group%2Fproj/members":
			reply(200, `[{"id":5,"username":"jane"}]`, "X-Total", "1")(w, r)
		case r.Method == http.MethodGet && r.URL.Path == "/api/v4/version":
			reply(404, `{"message":"404 Not Found"}`)(w, r)
		default:
			reply(502, `{"message":"502 Bad Gateway"}`)(w, r)
		}
	})
	c := fastClient(t, srv.URL)
	ctx := context.Background()

	req, err := c.NewRequest(ctx, http.MethodGet, "/projects/group%2Fproj/members", &ListOptions{PerPage: 50})
	require.NoError(t, err)
	var members []struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
	}
	resp, err := c.Do(req, &members)
	require.NoError(t, err)
	assert.Equal(t, 1, resp.TotalItems)
	require.Len(t, members, 1)
	assert.Equal(t, "jane", members[0].Username)
	got := srv.seen()[0]
	assert.Equal(t, testToken, got.Header.Get("Private-Token"))
	assert.Equal(t, "per_page=50", got.URL.RawQuery)

	srv.forget()
	req, err = c.NewRequest(ctx, http.MethodPost, "projects/1/hooks", &struct {
		URL string `url:"url"`
	}{"https://hooks.example.com"})
	require.NoError(t, err)
	_, err = c.Do(req, nil)
	var er *ErrorResponse
	require.ErrorAs(t, err, &er)
	assert.Equal(t, 502, er.StatusCode)
	assert.Equal(t, 1, srv.count(), "a POST answered 502 is sent once")
	assert.Equal(t, "url=https%3A%2F%2Fhooks.example.com", body)

	srv.forget()
	req, err = c.NewRequest(ctx, http.MethodPost, "projects/1/hooks", nil)
	require.NoError(t, err)
	req.Idempotent = true
	_, err = c.Do(req, nil)
	require.ErrorAs(t, err, &er)
	assert.Equal(t, 5, srv.count(), "an idempotent POST is retried like a PUT")

	req, err = c.NewRequest(ctx, http.MethodGet, "version", nil)
	require.NoError(t, err)
	_, err = c.Do(req, &members)
	assert.ErrorIs(t, err, ErrNotFound)

	for _, bad := range []string{"", "/", "../users", "projects/../../x", "https://evil.example/api/v4/users", "users?page=2"} {
		_, err := c.NewRequest(ctx, http.MethodGet, bad, nil)
		assert.ErrorIs(t, err, ErrInvalidArgument, bad)
	}
	_, err = c.NewRequest(ctx, "get", "users", nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	req, err = c.NewRequest(ctx, http.MethodGet, "users", nil)
	require.NoError(t, err)
	req.Header().Set("Job-Token", "x")
	_, err = c.Do(req, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = c.Do(nil, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

// Every enum field of every options struct a method takes is checked
// before sending: each known value passes, anything else is
// ErrInvalidArgument. The options are found by walking the Client's
// services, so a new enum field is covered without a change here.
func TestEnumOptionsValidated(t *testing.T) {
	seen := map[reflect.Type]bool{}
	enums := 0
	client := reflect.TypeFor[Client]()
	for i := range client.NumField() {
		svc := client.Field(i).Type
		if !client.Field(i).IsExported() || svc.Kind() != reflect.Pointer {
			continue
		}
		for j := range svc.NumMethod() {
			mt := svc.Method(j).Type
			for k := range mt.NumIn() {
				p := mt.In(k)
				if p.Kind() != reflect.Pointer || p.Elem().Kind() != reflect.Struct || seen[p] || !strings.HasSuffix(p.Elem().Name(), "Options") {
					continue
				}
				seen[p] = true
				enums += checkEachEnumField(t, p.Elem())
			}
		}
	}
	assert.GreaterOrEqual(t, enums, 15, "enum fields found")
	_, _, err := newNoRequestClient(t).Users.List(context.Background(), &ListUsersOptions{Pagination: Ptr(Pagination("keysets"))})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), `pagination: "keysets" is not one of offset, keyset`)
}

func checkEachEnumField(t *testing.T, st reflect.Type) int {
	n := 0
	for _, f := range reflect.VisibleFields(st) {
		ft := f.Type
		if ft.Kind() != reflect.Pointer || !ft.Elem().Implements(enumType) {
			continue
		}
		n++
		for _, v := range reflect.Zero(ft.Elem()).Interface().(enum).known() {
			opt := reflect.New(st)
			p := reflect.New(ft.Elem())
			p.Elem().SetString(v)
			opt.Elem().FieldByIndex(f.Index).Set(p)
			assert.NoError(t, checkEnums(opt.Interface()), "%s.%s = %q", st.Name(), f.Name, v)
		}
		opt := reflect.New(st)
		p := reflect.New(ft.Elem())
		p.Elem().SetString("bogus")
		opt.Elem().FieldByIndex(f.Index).Set(p)
		assert.ErrorIs(t, checkEnums(opt.Interface()), ErrInvalidArgument, "%s.%s = bogus", st.Name(), f.Name)
	}
	return n
}

// DateOf takes the calendar date in the time's own location.
func TestDateOf(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	require.NoError(t, err)
	late := time.Date(2026, 4, 4, 23, 30, 0, 0, ny) // already 5 April in UTC
	assert.Equal(t, "2026-04-04", DateOf(late).String())
	assert.Equal(t, "2026-04-05", DateOf(late.UTC()).String())
	early := time.Date(2026, 4, 5, 6, 0, 0, 0, tokyo) // still 4 April in UTC
	assert.Equal(t, "2026-04-05", DateOf(early).String())
	assert.Equal(t, time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC), DateOf(early).Time())
	y, m, d := DateOf(early).Time().Date()
	assert.Equal(t, []int{2026, 4, 5}, []int{y, int(m), d})
}

// GetByUsername returns the one user of that username: none is
// ErrNotFound, and GitLab's case-insensitive match is accepted.
func TestGetByUsername(t *testing.T) {
	c := newTestClient(t)
	ctx := context.Background()
	mock("GET", "/users").AddMatcher(exactQuery("username=ghost")).Reply(200).BodyString(`[]`)
	u, resp, err := c.Users.GetByUsername(ctx, "ghost")
	require.ErrorIs(t, err, ErrNotFound)
	assert.Nil(t, u)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, err.Error(), `no user has the username "ghost"`)

	mock("GET", "/users").AddMatcher(exactQuery("username=jane")).Reply(200).BodyString(`[{"id":7,"username":"jane"}]`)
	u, _, err = c.Users.GetByUsername(ctx, "@jane")
	require.NoError(t, err)
	assert.Equal(t, int64(7), u.ID)

	mock("GET", "/users").AddMatcher(exactQuery("username=JANE")).Reply(200).BodyString(`[{"id":7,"username":"jane"}]`)
	u, _, err = c.Users.GetByUsername(ctx, "JANE")
	require.NoError(t, err)
	assert.Equal(t, "jane", u.Username)

	mock("GET", "/users").AddMatcher(exactQuery("username=jane")).Reply(200).BodyString(`[{"id":8,"username":"janet"}]`)
	_, _, err = c.Users.GetByUsername(ctx, "jane")
	assert.ErrorIs(t, err, ErrNotFound, "a user of another name is not the one asked for")
}
