package gitlab

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TokenTypeOf follows GitLab's prefixes, in GitLab's order, and an
// instance prefix in front of them.
func TestTokenTypeOf(t *testing.T) {
	for _, tc := range []struct {
		secret string
		typ    TokenType
		prefix string
	}{
		{"gldt-AbCdEf0123456789xyz", TokenTypeDeployToken, "gldt-"},
		{"glft-AbCdEf0123456789xyz", TokenTypeFeedToken, "glft-"},
		{"glpat-AbCdEf0123456789xyz", TokenTypePersonalAccessToken, "glpat-"},
		{"gloas-AbCdEf0123456789xyz", TokenTypeOAuthApplicationSecret, "gloas-"},
		{"glagent-AbCdEf0123456789xyz", TokenTypeClusterAgentToken, "glagent-"},
		{"glrt-AbCdEf0123456789xyz", TokenTypeRunnerAuthenticationToken, "glrt-"},
		{"GR1348941AbCdEf0123456789", TokenTypeRunnerRegistrationToken, "GR1348941"},
		{"glptt-AbCdEf0123456789xyz", TokenTypePipelineTriggerToken, "glptt-"},
		{"glcbt-AbCdEf0123456789xyz", TokenTypeCIJobToken, "glcbt-"},
		{"glffct-AbCdEf0123456789xyz", TokenTypeFeatureFlagsClientToken, "glffct-"},
		{"_gitlab_session=0123456789abcdef0123456789abcdef", TokenTypeGitLabSession, "_gitlab_session="},
		{"glimt-AbCdEf0123456789xyz", TokenTypeIncomingEmailToken, "glimt-"},
		{"glsoat-AbCdEf0123456789xyz", TokenTypeSCIMToken, "glsoat-"},
		// An instance prefix in front of a default prefix.
		{"acme-glrt-AbCdEf0123456789xyz", TokenTypeRunnerAuthenticationToken, "acme-glrt-"},
		{"acme_2-glpat-AbCdEf0123456789", TokenTypePersonalAccessToken, "acme_2-glpat-"},
		{"ABCDEFGHIJKLMNOPQRST-gldt-xyz", TokenTypeDeployToken, "ABCDEFGHIJKLMNOPQRST-gldt-"},
		// The first prefix wins: a default prefix at the start, not a
		// later one in the secret's random part.
		{"glpat-x-gldt-AbCdEf0123456789", TokenTypePersonalAccessToken, "glpat-"},
		// Unknown: no prefix, a custom personal access token prefix, an
		// instance prefix too long or with a dash or other characters,
		// a prefix in another case, an empty instance prefix.
		{"AbCdEf0123456789xyz", TokenTypeUnknown, ""},
		{"corp_AbCdEf0123456789xyz", TokenTypeUnknown, ""},
		{"ABCDEFGHIJKLMNOPQRSTU-gldt-xyz", TokenTypeUnknown, ""},
		{"ac-me-glpat-AbCdEf0123456789", TokenTypeUnknown, ""},
		{"a.b-glpat-AbCdEf0123456789", TokenTypeUnknown, ""},
		{"GLPAT-AbCdEf0123456789xyz", TokenTypeUnknown, ""},
		{"-glpat-AbCdEf0123456789xyz", TokenTypeUnknown, ""},
		{"glpat", TokenTypeUnknown, ""},
		{"", TokenTypeUnknown, ""},
	} {
		typ, prefix := TokenTypeOf(tc.secret)
		assert.Equal(t, tc.typ, typ, tc.secret)
		assert.Equal(t, tc.prefix, prefix, tc.secret)
		assert.True(t, strings.HasPrefix(tc.secret, prefix), tc.secret)
	}
}

// The user of token_information_user.json, and the owners of the other
// fixtures, as decoded.
func tokenInfoUser(t *testing.T, full bool) *User {
	u := &User{
		ID: 5, Username: "jane", Name: "Jane Doe", State: UserStateActive,
		AvatarURL: "https://gitlab.example.com/uploads/-/system/user/avatar/5/avatar.png",
		WebURL:    "https://gitlab.example.com/jane",
	}
	if full {
		u.CreatedAt = mustTime(t, "2020-01-02T03:04:05.000Z")
		u.Location = Ptr("")
	}
	return u
}

// tokenInfoCase is one type of token: its secret, the fixture GitLab
// answers with, and the TokenInformation Get returns (Raw aside).
type tokenInfoCase struct {
	secret  string
	fixture string
	want    func(t *testing.T) *TokenInformation
}

func tokenInfoCases() []tokenInfoCase {
	return []tokenInfoCase{
		{"glpat-prjToken0000secret0001", "token_information_personal_access_token.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypePersonalAccessToken, Prefix: "glpat-", PersonalAccessToken: &PersonalAccessToken{
				ID: 31, Name: "ci", Description: "project pipeline", Active: true, Scopes: []string{ScopeAPI}, UserID: 120,
				CreatedAt: mustTime(t, "2025-03-14T09:26:53.123Z"), LastUsedAt: mustTime(t, "2025-03-20T18:00:00.000Z"),
				ExpiresAt: isoDate(2026, time.March, 14),
			}}
		}},
		// A custom personal access token prefix: GitLab knew it, the
		// answer's shape tells.
		{"corp_prjToken0000secret0001", "token_information_personal_access_token.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypePersonalAccessToken, Prefix: "", PersonalAccessToken: &PersonalAccessToken{
				ID: 31, Name: "ci", Description: "project pipeline", Active: true, Scopes: []string{ScopeAPI}, UserID: 120,
				CreatedAt: mustTime(t, "2025-03-14T09:26:53.123Z"), LastUsedAt: mustTime(t, "2025-03-20T18:00:00.000Z"),
				ExpiresAt: isoDate(2026, time.March, 14),
			}}
		}},
		{"gldt-deployToken0000secret01", "token_information_deploy_token.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypeDeployToken, Prefix: "gldt-", DeployToken: &DeployToken{
				ID: 4, Name: "registry pull", Username: "gitlab+deploy-token-4", ExpiresAt: mustTime(t, "2026-02-14T00:00:00.000Z"),
				Scopes: []string{"read_repository", "read_registry"},
			}}
		}},
		{"glft-feedToken0000secret0001", "token_information_user.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypeFeedToken, Prefix: "glft-", User: tokenInfoUser(t, true)}
		}},
		{"glimt-emailToken000secret001", "token_information_user.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypeIncomingEmailToken, Prefix: "glimt-", User: tokenInfoUser(t, true)}
		}},
		{"_gitlab_session=0123456789abcdef0123456789abcdef", "token_information_user.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypeGitLabSession, Prefix: "_gitlab_session=", User: tokenInfoUser(t, true)}
		}},
		{"gloas-appSecret0000secret0001", "token_information_application.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypeOAuthApplicationSecret, Prefix: "gloas-", Application: &OAuthApplication{
				ID: 3, ApplicationID: "5832fc6e14300a0d962240a8144466eef4ee93ef0d218477e55f11cf12fc3737",
				ApplicationName: "Release dashboard", CallbackURL: "https://dashboard.example.com/callback",
				Confidential: true, Scopes: []string{"read_api", "openid"},
			}}
		}},
		{"glagent-agentToken000secret01", "token_information_cluster_agent_token.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypeClusterAgentToken, Prefix: "glagent-", ClusterAgentToken: &ClusterAgentToken{
				ID: 9, Name: "prod agent", Description: "production cluster", AgentID: 2, Status: "active",
				CreatedAt: mustTime(t, "2025-01-10T11:00:00.000Z"), CreatedByUserID: 5,
				LastUsedAt: mustTime(t, "2025-03-30T07:45:00.000Z"),
			}}
		}},
		{"acme-glrt-runnerToken00secret1", "token_information_runner.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypeRunnerAuthenticationToken, Prefix: "acme-glrt-", Runner: &Runner{
				ID: 9171, Description: "shared docker runner", Name: "docker-1", Active: true, RunnerType: "project_type",
				Online: true, CreatedBy: tokenInfoUser(t, false), CreatedAt: mustTime(t, "2025-02-01T09:00:00.000Z"),
				Status: "online", JobExecutionStatus: "idle",
			}}
		}},
		{"glptt-0123456789abcdef0123456789abcdef01234567", "token_information_trigger.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypePipelineTriggerToken, Prefix: "glptt-", Trigger: &PipelineTrigger{
				ID: 10, Description: "nightly", CreatedAt: mustTime(t, "2024-12-24T15:51:21.880Z"),
				UpdatedAt: mustTime(t, "2024-12-24T17:54:31.198Z"), LastUsed: mustTime(t, "2025-03-01T02:00:00.000Z"),
				Owner: tokenInfoUser(t, false),
			}}
		}},
		{"glcbt-jobToken00000secret0001", "token_information_job.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypeCIJobToken, Prefix: "glcbt-", Job: &CIJob{
				ID: 1001, Name: "deploy_to_production", Stage: "deploy", Status: "running", Ref: "main",
				User: tokenInfoUser(t, false),
				Pipeline: &CIPipeline{ID: 500, ProjectID: 42, Ref: "main", SHA: "2dc6aa325a317eda67812f05600bdf0fcdc70ab0",
					Status: "running", WebURL: "https://gitlab.example.com/acme/app/-/pipelines/500"},
				WebURL:    "https://gitlab.example.com/acme/app/-/jobs/1001",
				CreatedAt: mustTime(t, "2025-03-14T09:00:00.000Z"), StartedAt: mustTime(t, "2025-03-14T09:01:00.000Z"),
			}}
		}},
		{"glffct-flagsToken000secret001", "token_information_feature_flags_client.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypeFeatureFlagsClientToken, Prefix: "glffct-",
				FeatureFlagsClient: &FeatureFlagsClient{ID: 6, ProjectID: 42}}
		}},
		// No typed field: the entity is in Raw.
		{"glsoat-scimToken000secret0001", "token_information_feature_flags_client.json", func(t *testing.T) *TokenInformation {
			return &TokenInformation{Type: TokenTypeSCIMToken, Prefix: "glsoat-"}
		}},
	}
}

// Get sends the secret as JSON in the body of POST /admin/token, with no
// query, and decodes GitLab's entity for each type of token into the
// field its type names. Raw is the answer, the secret replaced.
func TestTokenInformationGet(t *testing.T) {
	for _, tc := range tokenInfoCases() {
		t.Run(tc.secret[:6], func(t *testing.T) {
			c := newTestClient(t)
			mock("POST", "/admin/token").
				AddMatcher(exactQuery("")).
				AddMatcher(exactJSON(`{"token":"` + tc.secret + `"}`)).
				Reply(200).BodyString(string(fixture(t, tc.fixture)))
			got, resp, err := c.TokenInformation.Get(context.Background(), tc.secret)
			require.NoError(t, err)
			require.Equal(t, 200, resp.StatusCode)
			want := tc.want(t)
			wantRaw := bytes.ReplaceAll(fixture(t, tc.fixture), []byte(tc.secret), []byte("REDACTED"))
			assert.JSONEq(t, string(wantRaw), string(got.Raw))
			got.Raw = nil
			assert.Equal(t, want, got)
		})
	}
}

// The trigger entity holds the trigger's token, the secret asked
// about: Raw has it replaced, and PipelineTrigger does not keep it.
func TestTokenInformationTriggerSecretNotKept(t *testing.T) {
	const secret = "glptt-0123456789abcdef0123456789abcdef01234567"
	require.Contains(t, string(fixture(t, "token_information_trigger.json")), secret)
	info, err := newTokenInformation(secret, fixture(t, "token_information_trigger.json"))
	require.NoError(t, err)
	assert.Contains(t, string(info.Raw), `"token": "REDACTED"`)
	assertNotPrinted(t, info, secret, "glptt-")
	assertNotPrinted(t, info.Trigger, secret, "nightly")
}

// Revoke sends the secret as JSON in the body of DELETE /admin/token,
// never in the query.
func TestTokenInformationRevoke(t *testing.T) {
	const secret = "glrt-runnerToken0000secret01"
	cases := []endpointCase{
		{name: "Revoke", method: "DELETE", path: "/admin/token", status: 204,
			match: []matcher{exactQuery(""), exactJSON(`{"token":"` + secret + `"}`)},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noValue(c.TokenInformation.Revoke(ctx, secret))
			}},
		{name: "RevokeUnsupported", method: "DELETE", path: "/admin/token", status: 400,
			match:   []matcher{exactQuery(""), exactJSON(`{"token":"glcbt-jobToken00000secret0001"}`)},
			fixture: "token_information_400.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noValue(c.TokenInformation.Revoke(ctx, "glcbt-jobToken00000secret0001"))
			},
			wantErr: ErrBadRequest, errMsg: "Unsupported token type",
			errFields: map[string][]string{"error": {"Unsupported token type"}}},
		{name: "GetNotFound", method: "POST", path: "/admin/token", status: 404, fixture: "token_information_404.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.TokenInformation.Get(ctx, "glpat-unknownToken00000001"))
			},
			wantErr: ErrNotFound, errMsg: "Not found"},
		{name: "GetUnsupported", method: "POST", path: "/admin/token", status: 422, fixture: "token_information_422.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.TokenInformation.Get(ctx, "unsupported"))
			},
			errMsg: "Token type not supported."},
		{name: "GetNotAdmin", method: "POST", path: "/admin/token", status: 403, json: map[string]string{"message": "403 Forbidden"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.TokenInformation.Get(ctx, "glpat-someToken0000000001"))
			},
			wantErr: ErrForbidden},
	}
	runEndpointCases(t, cases)
}

// An answer that is not the entity its type names is
// ErrUnexpectedResponse, whose text does not hold the secret even when
// the bad part of the answer is the secret itself.
func TestTokenInformationBadAnswer(t *testing.T) {
	const secret = "glpat-badAnswer00000secret01"
	for _, body := range []string{
		`null`,
		`[]`,
		`"` + secret + `"`,
		`{"id":"` + secret + `"}`,
		`{"scopes":"` + secret + `"}`,
		`{"id":1,"name":{"` + secret + `":1}}`,
	} {
		srv := newRecordingServer(t, reply(200, body))
		c := fastClient(t, srv.URL)
		info, _, err := c.TokenInformation.Get(context.Background(), secret)
		require.ErrorIs(t, err, ErrUnexpectedResponse, body)
		assert.Nil(t, info)
		assert.NotContains(t, err.Error(), secret, body)
		assert.NotContains(t, fmt.Sprintf("%+v", err), secret, body)
	}
}

// echoServer answers every request with status and a body that echoes
// the secret it received, plainly, JSON-escaped and in a header, as a
// careless proxy or a hostile server might. It keeps the bodies it
// received.
type echoServer struct {
	*recordingServer
	mu     sync.Mutex
	bodies []string
}

func newEchoServer(t *testing.T, status int) *echoServer {
	s := &echoServer{}
	s.recordingServer = newRecordingServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.bodies = append(s.bodies, string(b))
		s.mu.Unlock()
		var in struct{ Token string }
		_ = json.Unmarshal(b, &in)
		escaped := strings.Replace(in.Token, "g", `\u0067`, 1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo", in.Token)
		w.Header().Set("X-Request-Id", in.Token)
		w.WriteHeader(status)
		switch status {
		case 200:
			fmt.Fprintf(w, `{"id":31,"name":"%s","description":"%s","scopes":["api"],"user_id":120,"active":true,"%s":1}`, in.Token, escaped, in.Token)
		case 404:
			fmt.Fprintf(w, `{"message":{"error":"Not found","%s":["%s"]}}`, in.Token, escaped)
		case 400:
			fmt.Fprintf(w, `{"message":{"error":"Unsupported token type %s"}}`, escaped)
		default:
			fmt.Fprintf(w, `{"message":"%d %s: %s"}`, status, in.Token, escaped)
		}
	})
	return s
}

func (s *echoServer) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

// The secret given to TokenInformation travels in the request body
// only, and appears in no URL, no error text, no field of an
// *ErrorResponse (its raw Body included), no header or request body the
// answer keeps, no slog record of the client (JSON handler, debug
// level) and no printed value, whatever GitLab answers, even when the
// answer echoes it back.
func TestTokenInformationSecretNowhere(t *testing.T) {
	const secret = "glpat-leaked0000secret0000001"
	for _, status := range []int{200, 400, 404, 422, 500} {
		for _, method := range []string{"Get", "Revoke"} {
			name := fmt.Sprintf("%s %d", method, status)
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			srv := newEchoServer(t, status)
			c := fastClient(t, srv.URL, WithLogger(logger), WithRetryMax(2))

			var values []any
			var resp *Response
			var err error
			if method == "Get" {
				var info *TokenInformation
				info, resp, err = c.TokenInformation.Get(context.Background(), secret)
				values = append(values, info)
				if info != nil {
					values = append(values, *info, info.PersonalAccessToken, string(info.Raw))
				}
			} else {
				resp, err = c.TokenInformation.Revoke(context.Background(), secret)
			}
			logger.Info("caller logs the result", "resp", resp, "err", err, "values", values)

			// The secret went in each request's body, and in nothing the
			// server saw besides.
			bodies := srv.received()
			require.NotEmpty(t, bodies, name)
			for _, b := range bodies {
				assert.JSONEq(t, `{"token":"`+secret+`"}`, b, name)
			}
			for _, r := range srv.seen() {
				assert.NotContains(t, r.URL.String(), "leaked", name)
				for k, v := range r.Header {
					assert.NotContains(t, strings.Join(v, " "), "leaked", "%s: header %s", name, k)
				}
			}

			texts := map[string]string{"log": logs.String()}
			for i, v := range values {
				texts[fmt.Sprintf("value %d %%+v", i)] = fmt.Sprintf("%+v", v)
				texts[fmt.Sprintf("value %d %%#v", i)] = fmt.Sprintf("%#v", v)
			}
			if resp != nil {
				texts["resp %+v"] = fmt.Sprintf("%+v", *resp)
				texts["resp header"] = fmt.Sprint(resp.Header)
				assertRequestForgotten(t, name, resp.Request)
			}
			if status == 200 {
				if method == "Get" {
					require.NoError(t, err, name)
					assert.Equal(t, TokenTypePersonalAccessToken, values[0].(*TokenInformation).Type)
					assert.Equal(t, "REDACTED", values[0].(*TokenInformation).PersonalAccessToken.Name, name)
				}
			} else {
				require.Error(t, err, name)
				var er *ErrorResponse
				require.ErrorAs(t, err, &er, name)
				assert.Equal(t, status, er.StatusCode, name)
				texts["err.Error()"] = err.Error()
				texts["err %+v"] = fmt.Sprintf("%+v", err)
				texts["ErrorResponse %+v"] = fmt.Sprintf("%+v", *er)
				texts["ErrorResponse %#v"] = fmt.Sprintf("%#v", *er)
				texts["ErrorResponse.Body"] = string(er.Body)
				texts["ErrorResponse.Message"] = er.Message
				texts["ErrorResponse.Fields"] = fmt.Sprint(er.Fields)
				texts["ErrorResponse.Response.Header"] = fmt.Sprint(er.Response.Header)
				assertRequestForgotten(t, name, er.Response.Request)
				assert.Contains(t, string(er.Body), "REDACTED", "%s: the body is kept, the secret replaced", name)
			}
			for where, text := range texts {
				assert.NotContains(t, text, secret, "%s: %s", name, where)
				assert.NotContains(t, text, "leaked0000", "%s: %s", name, where)
			}
			assert.Contains(t, logs.String(), `"msg":"gitlab: request"`, "%s: the client logged", name)

			// Get changes nothing and is retried on a 500; Revoke is sent
			// once.
			wantSent := 1
			if method == "Get" && status == 500 {
				wantSent = 3
			}
			assert.Equal(t, wantSent, srv.count(), name)
		}
	}
}

// assertRequestForgotten checks that an answer's request no longer
// holds the body that carried the secret.
func assertRequestForgotten(t *testing.T, name string, r *http.Request) {
	t.Helper()
	require.NotNil(t, r, name)
	assert.Nil(t, r.GetBody, name)
	if r.Body != nil {
		b, _ := io.ReadAll(r.Body)
		assert.Empty(t, b, name)
	}
}

// Get changes nothing: it is retried on gateway errors and dropped
// connections. Revoke may reset a token, and a repeat would then find
// nothing: it is sent once. Both are retried on 429.
func TestTokenInformationRetries(t *testing.T) {
	const secret = "glpat-retried000000secret001"
	ok := reply(200, string(fixture(t, "token_information_personal_access_token.json")))
	srv, n := tokenServer(t, reply(502, `{}`), hangUp, ok)
	c := fastClient(t, srv.URL)
	info, _, err := c.TokenInformation.Get(context.Background(), secret)
	require.NoError(t, err)
	assert.Equal(t, int64(31), info.PersonalAccessToken.ID)
	assert.Equal(t, 3, n())

	for _, step := range []struct {
		name string
		h    http.HandlerFunc
	}{
		{"502", reply(502, `<html><body><h1>502 Bad Gateway</h1></body></html>`)},
		{"500", reply(500, `{"message":"500 Internal Server Error"}`)},
		{"dropped connection", hangUp},
	} {
		srv, n := tokenServer(t, step.h, reply(204, ``))
		c := fastClient(t, srv.URL, WithRetryMax(5))
		_, err := c.TokenInformation.Revoke(context.Background(), secret)
		require.Error(t, err, step.name)
		assert.NotContains(t, err.Error(), secret, step.name)
		assert.Equal(t, 1, n(), "%s: the revocation reached the server once", step.name)
	}

	srv, n = tokenServer(t, reply(429, `{"message":{"error":"slow down"}}`, "Retry-After", "0"), reply(204, ``))
	c = fastClient(t, srv.URL)
	_, err = c.TokenInformation.Revoke(context.Background(), secret)
	require.NoError(t, err)
	assert.Equal(t, 2, n())
}

// A bad token is refused before sending, and the error does not hold
// it.
func TestTokenInformationBadTokenNotInError(t *testing.T) {
	c := newNoRequestClient(t)
	for _, b := range badTokenSecrets {
		_, _, err := c.TokenInformation.Get(context.Background(), b.token)
		require.ErrorIs(t, err, ErrInvalidArgument, b.bad)
		if b.token != "" {
			assert.NotContains(t, err.Error(), "0123456789", b.bad)
		}
		_, err = c.TokenInformation.Revoke(context.Background(), b.token)
		require.ErrorIs(t, err, ErrInvalidArgument, b.bad)
	}
}

func TestTokenInformationRoundTrip(t *testing.T) {
	assertRoundTrip[PersonalAccessToken](t, "token_information_personal_access_token.json")
	assertRoundTrip[DeployToken](t, "token_information_deploy_token.json")
	assertRoundTrip[OAuthApplication](t, "token_information_application.json")
	assertRoundTrip[ClusterAgentToken](t, "token_information_cluster_agent_token.json")
	assertRoundTrip[FeatureFlagsClient](t, "token_information_feature_flags_client.json")
}

// FuzzTokenInformation feeds any answer and any secret to the decoding
// of a token information answer: it never panics, it returns a value or
// an error (never both, never neither), the value's one entity field is
// the one its Type names, and the secret appears neither in the error's
// text nor in the printed or logged value.
func FuzzTokenInformation(f *testing.F) {
	for _, tc := range tokenInfoCases() {
		b, err := os.ReadFile(filepath.Join("testdata", tc.fixture))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, tc.secret)
	}
	f.Add([]byte(`{"id":"glpat-x1234567","name":"glpat-x1234567"}`), "glpat-x1234567")
	f.Add([]byte(`{"scopes":[],"user_id":1,"name":"\u0067lpat-abcdefgh"}`), "glpat-abcdefgh")
	f.Add([]byte(`{"job":null}`), "glcbt-abcdefgh")
	f.Add([]byte(`null`), "glpat-abcdefgh")
	f.Fuzz(func(t *testing.T, raw []byte, secret string) {
		if (&tokenBody{secret}).validate() != nil || len(secret) < 8 {
			return // refused before sending; short secrets are not GitLab's
		}
		info, err := newTokenInformation(secret, raw)
		if (info == nil) == (err == nil) {
			t.Fatalf("value %v and error %v", info, err)
		}
		if err != nil {
			if !errors.Is(err, ErrUnexpectedResponse) {
				t.Fatalf("error %v does not wrap ErrUnexpectedResponse", err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("error text holds the secret: %v", err)
			}
			return
		}
		set := 0
		for _, p := range []any{info.PersonalAccessToken, info.DeployToken, info.User, info.Application,
			info.ClusterAgentToken, info.Runner, info.Trigger, info.Job, info.FeatureFlagsClient} {
			if !reflect.ValueOf(p).IsNil() {
				set++
			}
		}
		if set > 1 {
			t.Fatalf("%d entity fields set for %s", set, info.Type)
		}
		var logged bytes.Buffer
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("info", "info", info)
		for _, text := range []string{fmt.Sprintf("%+v", *info), fmt.Sprintf("%+v", info.Trigger), fmt.Sprintf("%+v", info.User),
			fmt.Sprintf("%+v", info.PersonalAccessToken), string(info.Raw), logged.String()} {
			if strings.Contains(text, secret) {
				t.Fatalf("%q holds the secret %q", text, secret)
			}
		}
	})
}
