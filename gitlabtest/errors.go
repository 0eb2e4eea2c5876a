package gitlabtest

import (
	"errors"
	"net/http"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// statusOf is the status of each kind of refusal.
var statusOf = map[model.Kind]int{
	model.NotFound:          http.StatusNotFound,
	model.Unauthorized:      http.StatusUnauthorized,
	model.Forbidden:         http.StatusForbidden,
	model.BadRequest:        http.StatusBadRequest,
	model.Conflict:          http.StatusConflict,
	model.Invalid:           http.StatusBadRequest,
	model.Unprocessable:     http.StatusUnprocessableEntity,
	model.InsufficientScope: http.StatusForbidden,
	model.MethodNotAllowed:  http.StatusMethodNotAllowed,
	model.Internal:          http.StatusInternalServerError,
}

// refusal renders a refusal of the domain layer (a *model.Error) as
// GitLab's API does: the one place where the domain's kinds become
// statuses and bodies. A guard of the API (not_found!, forbidden!,
// bad_request!, conflict!) has its helper's wording (render.go); a
// service's refusal goes out as it is, with its status
// (render_api_error!); validation errors are {"message":{attr:[...]}}
// (render_validation_error!); ActiveRecord's RecordNotFound and
// RecordInvalid are rescued by lib/api/api.rb. Anything else is a bug
// of the fake: 500.
func refusal(err error) answer {
	var e *model.Error
	if !errors.As(err, &e) {
		return reply(http.StatusInternalServerError, msg("500 Internal Server Error"))
	}
	code := statusOf[e.Kind]
	switch {
	case code == 0 || e.Kind == model.Internal:
		return reply(http.StatusInternalServerError, msg("500 Internal Server Error"))
	case e.Record && e.Kind == model.NotFound:
		return reply(code, msg("404 Not found"))
	case e.Record && e.Kind == model.Invalid:
		return reply(code, msg(e.FullMessages()))
	case e.Kind == model.Invalid:
		return reply(code, msg(e.Fields))
	case e.Service:
		return reply(code, msg(e.Text))
	case e.Kind == model.NotFound:
		return notFound(e.Text)
	case e.Kind == model.Unauthorized && e.Text != "":
		return invalidToken(e.Text)
	case e.Kind == model.Unauthorized:
		return unauthorized()
	case e.Kind == model.InsufficientScope:
		return insufficientScope(e.Text)
	case e.Kind == model.Forbidden:
		return forbidden(e.Text)
	case e.Kind == model.BadRequest:
		return badRequest(e.Text)
	case e.Kind == model.MethodNotAllowed:
		return reply(code, msg("405 Method Not Allowed"))
	}
	return conflict(e.Text) // conflict! renders its message as it is
}
