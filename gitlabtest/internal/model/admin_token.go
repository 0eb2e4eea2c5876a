package model

import (
	"strings"
	"time"
)

// The token information API for administrators, POST and DELETE
// /admin/token: lib/api/admin/token.rb,
// lib/authn/agnostic_token_identifier.rb and lib/authn/tokens/*.rb; see
// https://docs.gitlab.com/api/admin/token/.

// TokenType is the kind of token a secret's prefix names.
type TokenType string

// The token types of Authn::AgnosticTokenIdentifier, in the order it
// tries their prefixes (the first match wins).
const (
	TypeDeployToken        TokenType = "deploy_token"
	TypeFeedToken          TokenType = "feed_token"
	TypePersonalToken      TokenType = "personal_access_token"
	TypeOAuthSecret        TokenType = "oauth_application_secret"
	TypeClusterAgentToken  TokenType = "cluster_agent_token"
	TypeRunnerToken        TokenType = "runner_authentication_token"
	TypeRunnerRegistration TokenType = "runner_registration_token"
	TypeTriggerToken       TokenType = "pipeline_trigger_token"
	TypeJobToken           TokenType = "ci_job_token"
	TypeFeatureFlagsToken  TokenType = "feature_flags_client_token"
	TypeSession            TokenType = "gitlab_session"
	TypeIncomingEmailToken TokenType = "incoming_email_token"
	TypeSCIMToken          TokenType = "scim_token"
)

// tokenPrefixes are the prefixes of each token type, in
// Authn::AgnosticTokenIdentifier's order (19.x).
var tokenPrefixes = []struct {
	prefix string
	typ    TokenType
}{
	{"gldt-", TypeDeployToken},
	{"glft-", TypeFeedToken},
	{"glpat-", TypePersonalToken},
	{"gloas-", TypeOAuthSecret},
	{"glagent-", TypeClusterAgentToken},
	{"glrt-", TypeRunnerToken},
	{"GR1348941", TypeRunnerRegistration},
	{"glptt-", TypeTriggerToken},
	{"glcbt-", TypeJobToken},
	{"glffct-", TypeFeatureFlagsToken},
	{"_gitlab_session=", TypeSession},
	{"glimt-", TypeIncomingEmailToken},
	{"glsoat-", TypeSCIMToken},
}

// IdentifiedToken is a token found from its secret: its type and the
// record it names (Token for personal, impersonation, group, project
// and service-account tokens; Runner for a runner authentication
// token).
type IdentifiedToken struct {
	Type   TokenType
	Token  *Token
	Runner *Runner
}

// IdentifyToken finds the token whose secret is secret
// (Authn::AgnosticTokenIdentifier.token_for and the type's revocable):
// a secret with no known prefix is Unprocessable "Token type not
// supported."; a known prefix that names no token the fake holds (of
// the types it never issues, none) is NotFound "Not found". Revoked
// and expired tokens are found. Reads only.
func (st *Store) IdentifyToken(secret string) (IdentifiedToken, error) {
	var id IdentifiedToken
	for _, p := range tokenPrefixes {
		if strings.HasPrefix(secret, p.prefix) {
			id.Type = p.typ
			break
		}
	}
	switch id.Type {
	case "":
		return id, refused(Unprocessable, "Token type not supported.")
	case TypePersonalToken:
		id.Token = st.TokenBySecret(secret)
	case TypeRunnerToken:
		id.Runner = st.RunnerByToken(secret)
	}
	if id.Token == nil && id.Runner == nil {
		return id, notFound("Not found")
	}
	return id, nil
}

// RevokeIdentified is DELETE /admin/token for the administrator actor:
// a human's personal or impersonation token is revoked
// (PersonalAccessTokens::RevokeService), a group or project bot's
// through ResourceAccessTokens::RevokeService (the bot stays), a token
// of any other user (a service account) is refused with "Unsupported
// personal access token type"; a runner's token is reset. Refusals are
// BadRequest with the service's message.
func (st *Store) RevokeIdentified(actor *User, id IdentifiedToken, now time.Time) error {
	if id.Runner != nil {
		id.Runner.ResetToken()
		return nil
	}
	t := id.Token
	owner := st.users[t.UserID]
	switch {
	case owner == nil || (owner.Bot && !owner.ProjectBot):
		return badRequest("Unsupported personal access token type")
	case !owner.ProjectBot:
		if !MayRevoke(actor, t) {
			return badRequest("Not permitted to revoke")
		}
		t.Revoke()
		st.auditTokenRevoked(actor, t, now)
		return nil
	}
	for _, m := range st.mem.byUser[owner.ID] {
		if m.RequestedAt == nil {
			return st.revokeBotToken(actor, m.Source, t, now)
		}
	}
	return badRequest("Failed to find bot user")
}
