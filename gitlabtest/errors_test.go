package gitlabtest

import (
	"errors"
	"net/http"
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
	"github.com/stretchr/testify/assert"
)

// TestRefusal pins the one mapping from the domain's refusals to
// GitLab's statuses and bodies.
func TestRefusal(t *testing.T) {
	type answerOf struct {
		err  error
		code int
		body string
	}
	cases := []answerOf{
		{&model.Error{Kind: model.NotFound, Text: "User"}, 404, `{"message":"404 User Not Found"}`},
		{&model.Error{Kind: model.Unauthorized}, 401, `{"message":"401 Unauthorized"}`},
		{&model.Error{Kind: model.Unauthorized, Text: "Token is expired."}, 401, `{"error":"invalid_token","error_description":"Token is expired."}`},
		{&model.Error{Kind: model.Forbidden}, 403, `{"message":"403 Forbidden"}`},
		{&model.Error{Kind: model.Forbidden, Text: "Must be admin to use sudo"}, 403, `{"message":"403 Forbidden - Must be admin to use sudo"}`},
		{&model.Error{Kind: model.Forbidden, Text: "You cannot ban blocked users.", Service: true}, 403, `{"message":"You cannot ban blocked users."}`},
		{&model.Error{Kind: model.BadRequest, Text: "Token already revoked"}, 400, `{"message":"400 Bad request - Token already revoked"}`},
		{&model.Error{Kind: model.BadRequest, Text: "Token already revoked", Service: true}, 400, `{"message":"Token already revoked"}`},
		{&model.Error{Kind: model.Conflict, Text: "Email has already been taken"}, 409, `{"message":"Email has already been taken"}`},
		{&model.Error{Kind: model.Invalid, Fields: map[string][]string{"name": {"can't be blank"}}}, 400, `{"message":{"name":["can't be blank"]}}`},
		{&model.Error{Kind: model.Unprocessable, Text: "Scopes can't be blank", Service: true}, 422, `{"message":"Scopes can't be blank"}`},
		{&model.Error{Kind: model.InsufficientScope, Text: "api"}, 403, `{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}`},
		{&model.Error{Kind: model.NotFound, Record: true}, 404, `{"message":"404 Not found"}`},
		{&model.Error{Kind: model.Invalid, Record: true, Fields: map[string][]string{"value": {"can't be blank"}}}, 400, `{"message":["Value can't be blank"]}`},
		{&model.Error{}, 500, `{"message":"500 Internal Server Error"}`},
		{errors.New("not a refusal"), 500, `{"message":"500 Internal Server Error"}`},
	}
	for _, c := range cases {
		a := refusal(c.err)
		assert.Equal(t, c.code, a.code, c.err.Error())
		assert.JSONEq(t, c.body, string(a.body), c.err.Error())
		if c.code == http.StatusUnauthorized && a.header != nil {
			assert.Contains(t, a.header.Get("Www-Authenticate"), `error="invalid_token"`)
		}
	}
}
