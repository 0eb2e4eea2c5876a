package gitlab

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// TokenInformationService identifies any GitLab token from its secret,
// whatever its type, and revokes it: the API an incident responder uses
// on a secret found in a leaked log. Administrators only (in admin
// mode): anyone else gets 403 (ErrForbidden), anonymous callers 401.
// GitLab marks the API an experiment and serves it on self-managed
// instances only.
//
// The secret travels only in the JSON body of the request. It never
// appears in a URL, in an error's text or fields (an answer that echoes
// it back has it replaced by REDACTED, its raw Body too), in the
// client's log records, or in a printed or logged result.
//
// GitLab API docs: https://docs.gitlab.com/api/admin/token/
type TokenInformationService service

// TokenType is the kind of a token, as GitLab's token identification
// tells it from the secret's prefix.
type TokenType string

// The kinds of tokens the token information API knows, in the order in
// which GitLab tries their prefixes (lib/authn/agnostic_token_identifier.rb).
const (
	// TokenTypeUnknown is a secret with none of GitLab's default
	// prefixes (see TokenTypeOf).
	TokenTypeUnknown TokenType = ""
	// TokenTypeDeployToken: gldt-.
	TokenTypeDeployToken TokenType = "deploy_token"
	// TokenTypeFeedToken: glft-, a user's RSS and calendar feed token.
	TokenTypeFeedToken TokenType = "feed_token"
	// TokenTypePersonalAccessToken: glpat-. A user's personal access
	// token, an impersonation token, a service account's token, or a
	// group or project access token: all are personal access tokens of
	// some user, and TokenInformation.PersonalAccessToken.UserID names
	// that user (Users.Get tells a bot or a service account).
	TokenTypePersonalAccessToken TokenType = "personal_access_token"
	// TokenTypeOAuthApplicationSecret: gloas-, the secret of an OAuth
	// application.
	TokenTypeOAuthApplicationSecret TokenType = "oauth_application_secret"
	// TokenTypeClusterAgentToken: glagent-, a Kubernetes agent's token.
	TokenTypeClusterAgentToken TokenType = "cluster_agent_token"
	// TokenTypeRunnerAuthenticationToken: glrt-.
	TokenTypeRunnerAuthenticationToken TokenType = "runner_authentication_token"
	// TokenTypeRunnerRegistrationToken: GR1348941. GitLab 19.x knows
	// the prefix but finds no such token (404): registration tokens are
	// deprecated.
	TokenTypeRunnerRegistrationToken TokenType = "runner_registration_token"
	// TokenTypePipelineTriggerToken: glptt-.
	TokenTypePipelineTriggerToken TokenType = "pipeline_trigger_token"
	// TokenTypeCIJobToken: glcbt-, a running job's CI_JOB_TOKEN.
	TokenTypeCIJobToken TokenType = "ci_job_token"
	// TokenTypeFeatureFlagsClientToken: glffct-, a project's feature
	// flags (Unleash) client token.
	TokenTypeFeatureFlagsClientToken TokenType = "feature_flags_client_token"
	// TokenTypeGitLabSession: "_gitlab_session=" followed by the
	// session cookie's value (the cookie name of a default install).
	TokenTypeGitLabSession TokenType = "gitlab_session"
	// TokenTypeIncomingEmailToken: glimt-, a user's token for creating
	// issues and merge requests by email.
	TokenTypeIncomingEmailToken TokenType = "incoming_email_token"
	// TokenTypeSCIMToken: glsoat-, a group's SCIM token (GitLab EE
	// 19.x).
	TokenTypeSCIMToken TokenType = "scim_token"
)

// tokenPrefixes are GitLab's default prefixes, in the order in which
// lib/authn/agnostic_token_identifier.rb tries them (the first match
// wins; the EE SCIM token comes last), from lib/authn/tokens/*.rb.
var tokenPrefixes = []struct {
	prefix string
	typ    TokenType
}{
	{"gldt-", TokenTypeDeployToken},
	{"glft-", TokenTypeFeedToken},
	{"glpat-", TokenTypePersonalAccessToken},
	{"gloas-", TokenTypeOAuthApplicationSecret},
	{"glagent-", TokenTypeClusterAgentToken},
	{"glrt-", TokenTypeRunnerAuthenticationToken},
	{"GR1348941", TokenTypeRunnerRegistrationToken},
	{"glptt-", TokenTypePipelineTriggerToken},
	{"glcbt-", TokenTypeCIJobToken},
	{"glffct-", TokenTypeFeatureFlagsClientToken},
	{"_gitlab_session=", TokenTypeGitLabSession},
	{"glimt-", TokenTypeIncomingEmailToken},
	{"glsoat-", TokenTypeSCIMToken},
}

// maxInstancePrefix bounds the instance prefix TokenTypeOf looks past.
const maxInstancePrefix = 20

// TokenTypeOf tells a token's type from its secret as GitLab does: by
// the first of GitLab's default prefixes it starts with, in GitLab's
// order. It also returns that prefix, the part of the secret that is
// safe to show (e.g. "glpat-"), or "" for TokenTypeUnknown.
//
// Custom prefixes: an instance with an instance token prefix ("acme")
// issues "acme-glrt-…"; TokenTypeOf recognises such a secret by the
// default prefix after an instance prefix of at most 20 letters, digits
// and underscores, and returns the whole "acme-glrt-" as the prefix. An
// administrator's custom personal_access_token_prefix, an older prefix,
// or a custom session cookie name cannot be known here: such secrets
// are TokenTypeUnknown, and GitLab may still recognise them (Get sends
// them anyway).
func TokenTypeOf(secret string) (TokenType, string) {
	for _, p := range tokenPrefixes {
		if strings.HasPrefix(secret, p.prefix) {
			return p.typ, p.prefix
		}
	}
	inst, rest, ok := strings.Cut(secret, "-")
	if !ok || inst == "" || len(inst) > maxInstancePrefix || strings.ContainsFunc(inst, func(r rune) bool {
		return !(r == '_' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}) {
		return TokenTypeUnknown, ""
	}
	for _, p := range tokenPrefixes {
		if strings.HasPrefix(rest, p.prefix) {
			return p.typ, inst + "-" + p.prefix
		}
	}
	return TokenTypeUnknown, ""
}

// TokenInformation is what GitLab knows of a token: its Type, told from
// the secret's prefix, and GitLab's entity for it in the one field that
// Type names (the others are nil). Raw is GitLab's answer as it came,
// with every occurrence of the secret replaced by REDACTED.
//
// A secret GitLab recognised under a prefix TokenTypeOf does not know
// (an instance's custom personal access token prefix) has Type
// TokenTypeUnknown; when GitLab's answer has the shape of a personal
// access token (scopes and user_id), it is taken for one:
// PersonalAccessToken is set and Type is TokenTypePersonalAccessToken.
//
// GitLab API docs: https://docs.gitlab.com/api/admin/token/
type TokenInformation struct {
	Type TokenType
	// Prefix is the part of the secret that names its type ("glpat-",
	// "acme-glrt-"), safe to show in place of the secret.
	Prefix string
	// PersonalAccessToken is set for TokenTypePersonalAccessToken:
	// a user's, an impersonation, a service account's, or a group or
	// project access token (UserID is its bot user).
	PersonalAccessToken *PersonalAccessToken
	// DeployToken is set for TokenTypeDeployToken.
	DeployToken *DeployToken
	// User is the token's owner for TokenTypeFeedToken,
	// TokenTypeIncomingEmailToken and TokenTypeGitLabSession.
	User *User
	// Application is set for TokenTypeOAuthApplicationSecret.
	Application *OAuthApplication
	// ClusterAgentToken is set for TokenTypeClusterAgentToken.
	ClusterAgentToken *ClusterAgentToken
	// Runner is set for TokenTypeRunnerAuthenticationToken.
	Runner *Runner
	// Trigger is set for TokenTypePipelineTriggerToken.
	Trigger *PipelineTrigger
	// Job is set for TokenTypeCIJobToken: the job the token belongs to.
	Job *CIJob
	// FeatureFlagsClient is set for TokenTypeFeatureFlagsClientToken.
	FeatureFlagsClient *FeatureFlagsClient
	// Raw is GitLab's answer, the secret replaced by REDACTED: the
	// entity of a type without a field here (TokenTypeSCIMToken), or
	// fields this SDK does not decode.
	Raw json.RawMessage
}

// DeployToken is a project's or group's deploy token, as the token
// information API shows it.
//
// GitLab API docs: https://docs.gitlab.com/api/deploy_tokens/
type DeployToken struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Username string `json:"username"`
	// ExpiresAt is nil for a token that never expires.
	ExpiresAt *time.Time `json:"expires_at"`
	Scopes    []string   `json:"scopes"`
	Revoked   bool       `json:"revoked"`
	Expired   bool       `json:"expired"`
}

// OAuthApplication is an OAuth application, without its secret.
//
// GitLab API docs: https://docs.gitlab.com/api/applications/
type OAuthApplication struct {
	ID int64 `json:"id"`
	// ApplicationID is the OAuth client ID (uid).
	ApplicationID   string   `json:"application_id"`
	ApplicationName string   `json:"application_name"`
	CallbackURL     string   `json:"callback_url"`
	Confidential    bool     `json:"confidential"`
	Scopes          []string `json:"scopes"`
}

// ClusterAgentToken is a token of a GitLab agent for Kubernetes.
//
// GitLab API docs: https://docs.gitlab.com/api/cluster_agents/
type ClusterAgentToken struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	AgentID     int64  `json:"agent_id"`
	// Status is "active" or "revoked".
	Status          string     `json:"status"`
	CreatedAt       *time.Time `json:"created_at"`
	CreatedByUserID int64      `json:"created_by_user_id"`
	LastUsedAt      *time.Time `json:"last_used_at"`
}

// Runner is a CI runner, as GitLab's Ci::Runner entity shows it.
//
// GitLab API docs: https://docs.gitlab.com/api/runners/
type Runner struct {
	ID          int64  `json:"id"`
	Description string `json:"description"`
	Name        string `json:"name"`
	// Active is the opposite of Paused (GitLab sends both).
	Active   bool `json:"active"`
	Paused   bool `json:"paused"`
	IsShared bool `json:"is_shared"`
	// RunnerType is "instance_type", "group_type" or "project_type".
	RunnerType string `json:"runner_type"`
	Online     bool   `json:"online"`
	// CreatedBy is sent only when the caller may see that user.
	CreatedBy *User      `json:"created_by"`
	CreatedAt *time.Time `json:"created_at"`
	// Status is "online", "offline", "stale" or "never_contacted".
	Status string `json:"status"`
	// JobExecutionStatus is "active" or "idle".
	JobExecutionStatus string `json:"job_execution_status"`
}

// PipelineTrigger is a project's pipeline trigger. GitLab's entity also
// carries the trigger's token, which is the secret asked about: it is
// not kept here.
//
// GitLab API docs: https://docs.gitlab.com/api/pipeline_triggers/
type PipelineTrigger struct {
	ID          int64      `json:"id"`
	Description string     `json:"description"`
	CreatedAt   *time.Time `json:"created_at"`
	UpdatedAt   *time.Time `json:"updated_at"`
	LastUsed    *time.Time `json:"last_used"`
	ExpiresAt   *time.Time `json:"expires_at"`
	// Owner is the user the trigger runs pipelines as.
	Owner *User `json:"owner"`
}

// CIJob is the job a CI job token belongs to: some fields of GitLab's
// Ci::JobBasic entity.
//
// GitLab API docs: https://docs.gitlab.com/api/jobs/
type CIJob struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Stage  string `json:"stage"`
	Status string `json:"status"`
	Ref    string `json:"ref"`
	Tag    bool   `json:"tag"`
	// User is who started the job.
	User       *User       `json:"user"`
	Pipeline   *CIPipeline `json:"pipeline"`
	WebURL     string      `json:"web_url"`
	CreatedAt  *time.Time  `json:"created_at"`
	StartedAt  *time.Time  `json:"started_at"`
	FinishedAt *time.Time  `json:"finished_at"`
}

// CIPipeline is the pipeline of a CIJob.
type CIPipeline struct {
	ID        int64  `json:"id"`
	ProjectID int64  `json:"project_id"`
	Ref       string `json:"ref"`
	SHA       string `json:"sha"`
	Status    string `json:"status"`
	WebURL    string `json:"web_url"`
}

// FeatureFlagsClient is a project's feature flags client configuration.
//
// GitLab API docs: https://docs.gitlab.com/operations/feature_flags/
type FeatureFlagsClient struct {
	ID        int64 `json:"id"`
	ProjectID int64 `json:"project_id"`
}

// tokenBody is the body of both token information requests.
type tokenBody struct{ token string }

func (b *tokenBody) validate() error {
	switch {
	case b.token == "":
		return invalidArg("token information: the token must not be empty")
	case strings.ContainsFunc(b.token, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		// Never the token itself in the text: it is a secret.
		return invalidArg("token information: the token contains white space or a control character (no GitLab token does; a line's end left on it?)")
	case !utf8.ValidString(b.token):
		return invalidArg("token information: the token is not valid UTF-8")
	}
	return nil
}

// jsonBody sends the token as JSON ({"token":"…"}), in the body of the
// POST and of the DELETE alike.
func (b *tokenBody) jsonBody() ([]byte, error) {
	return jsonMarshal(struct {
		Token string `json:"token"`
	}{b.token})
}

// Get identifies a token from its secret: GitLab answers with its
// entity for the token, and Type says which kind it is (from the
// secret's prefix: see TokenTypeOf). Administrators only. Answers other
// than 200:
//
//   - 404 (ErrNotFound, {"message":{"error":"Not found"}}): the prefix
//     is known but no such token exists (every runner registration token
//     on GitLab 19.x, an unknown session);
//   - 422 ("Token type not supported."): no prefix GitLab knows;
//   - 403 (ErrForbidden): the caller is not an administrator in admin
//     mode.
//
// An empty token, or one with white space or control characters, is
// refused before sending (ErrInvalidArgument). Get changes nothing, so
// although it is a POST it is retried like a GET.
//
// GitLab API docs: https://docs.gitlab.com/api/admin/token/
func (s *TokenInformationService) Get(ctx context.Context, token string, opts ...RequestOption) (*TokenInformation, *Response, error) {
	raw, resp, err := do[json.RawMessage](ctx, s.client, http.MethodPost, at("admin", "token").markIdempotent().carrying(token), &tokenBody{token}, opts)
	if err != nil {
		return nil, resp, err
	}
	info, err := newTokenInformation(token, raw)
	if err != nil {
		return nil, resp, err
	}
	return info, resp, nil
}

// newTokenInformation decodes GitLab's answer raw for the secret token,
// after removing the secret from it.
func newTokenInformation(token string, raw []byte) (*TokenInformation, error) {
	ss := newSecrets(token)
	raw = ss.redactBytes(raw)
	typ, prefix := TokenTypeOf(token)
	info := &TokenInformation{Type: typ, Prefix: prefix, Raw: json.RawMessage(raw)}
	if typ == TokenTypeUnknown && looksLikePAT(raw) {
		info.Type = TokenTypePersonalAccessToken
	}
	var err error
	switch info.Type {
	case TokenTypePersonalAccessToken:
		info.PersonalAccessToken, err = decodeEntity[PersonalAccessToken](raw)
	case TokenTypeDeployToken:
		info.DeployToken, err = decodeEntity[DeployToken](raw)
	case TokenTypeFeedToken, TokenTypeIncomingEmailToken, TokenTypeGitLabSession:
		info.User, err = decodeEntity[User](raw)
	case TokenTypeOAuthApplicationSecret:
		info.Application, err = decodeEntity[OAuthApplication](raw)
	case TokenTypeClusterAgentToken:
		info.ClusterAgentToken, err = decodeEntity[ClusterAgentToken](raw)
	case TokenTypeRunnerAuthenticationToken:
		info.Runner, err = decodeEntity[Runner](raw)
	case TokenTypePipelineTriggerToken:
		info.Trigger, err = decodeEntity[PipelineTrigger](raw)
	case TokenTypeCIJobToken:
		var j *jobToken
		if j, err = decodeEntity[jobToken](raw); err == nil {
			info.Job = j.Job
		}
	case TokenTypeFeatureFlagsClientToken:
		info.FeatureFlagsClient, err = decodeEntity[FeatureFlagsClient](raw)
	}
	if err != nil {
		return nil, ss.redactErr(err)
	}
	return info, nil
}

// jobToken is GitLab's Ci::JobToken entity: the token's job.
type jobToken struct {
	Job *CIJob `json:"job"`
}

// decodeEntity decodes one of GitLab's entities; anything but a JSON
// object is ErrUnexpectedResponse.
func decodeEntity[T any](raw []byte) (*T, error) {
	var v *T
	if err := jsonUnmarshal(raw, &v); err != nil || v == nil {
		return nil, unexpectedEntity[T](err)
	}
	return v, nil
}

func unexpectedEntity[T any](err error) error {
	var zero T
	if err == nil {
		return fmt.Errorf("%w: POST /admin/token: null where a %T was expected", ErrUnexpectedResponse, zero)
	}
	return fmt.Errorf("%w: POST /admin/token: cannot decode the answer as a %T: %v", ErrUnexpectedResponse, zero, err)
}

// looksLikePAT reports whether raw, a JSON object, has the keys of a
// personal access token (scopes and user_id).
func looksLikePAT(raw []byte) bool {
	var keys map[string]json.RawMessage
	if jsonUnmarshal(raw, &keys) != nil {
		return false
	}
	_, scopes := keys["scopes"]
	_, user := keys["user_id"]
	return scopes && user
}

// Revoke revokes, resets or deletes a token given its secret, whatever
// its type (DELETE /admin/token, the secret in the body). Administrators
// only. What GitLab does depends on the type: personal, impersonation,
// group and project access tokens, deploy tokens and cluster agent
// tokens are revoked (a group or project token's bot user stays);
// feed, incoming email, runner authentication and feature flags client
// tokens and OAuth application secrets are reset to a new value that
// GitLab does not return; a session is deleted; a pipeline trigger
// token is expired only where the token_api_expire_pipeline_triggers
// feature flag is on. Refusals:
//
//   - 400 (ErrBadRequest, {"message":{"error":"…"}}): the type cannot be
//     revoked here ("Unsupported token type" for CI job tokens and,
//     without that flag, trigger tokens; "Unsupported personal access
//     token type" for a service account's token; SCIM tokens). GitLab
//     18.x answered these with 500;
//   - 404, 422 and 403 as for Get.
//
// Revoke is sent once: it is retried only on 429 and on connections
// never made, not after GitLab may have acted (on a 5xx or a dropped
// connection). A repeat after a reset or a deletion would find no token
// under the old secret and answer 404, which reads as "no such token"
// although the first attempt succeeded. After such a failure call Get
// with the same secret: 404 now means it was reset or deleted; a token
// Get shows revoked (or a revoked personal access token's Active false)
// was revoked; one still active was not, and Revoke may be called
// again.
//
// GitLab API docs: https://docs.gitlab.com/api/admin/token/
func (s *TokenInformationService) Revoke(ctx context.Context, token string, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("admin", "token").bodyOf().markOnce().carrying(token), &tokenBody{token}, opts)
}
