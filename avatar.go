package gitlab

import (
	"context"
	"net/http"
	"strings"
)

// GetAvatarOptions are the parameters of UsersService.GetAvatar. Email
// is required.
//
// GitLab API docs: https://docs.gitlab.com/api/avatar/
type GetAvatarOptions struct {
	// Email is the address to look up. Required.
	Email *string `url:"email,omitempty"`
	// Size is the width in pixels of the Gravatar image asked for
	// (GitLab's default 40); GitLab asks Gravatar for twice that, for
	// high-resolution screens.
	Size *int `url:"size,omitempty"`
}

func (o *GetAvatarOptions) validate() error {
	if o == nil || o.Email == nil || strings.TrimSpace(*o.Email) == "" {
		return invalidArg("get avatar: email is required")
	}
	return nil
}

// GetAvatar returns the avatar URL GitLab shows for an email address:
// the uploaded avatar of the user whose public email it is, otherwise a
// Gravatar URL for the address, whoever it belongs to (an unknown or
// private address gets one too). AvatarURL is empty when the instance
// has Gravatar turned off and no user with that public email has an
// avatar. Anyone may call it, anonymously too, except on instances that
// restrict the Public visibility level, where anonymous callers get 403
// (ErrForbidden).
//
// GitLab API docs: https://docs.gitlab.com/api/avatar/
func (s *UsersService) GetAvatar(ctx context.Context, opt *GetAvatarOptions, opts ...RequestOption) (*Avatar, *Response, error) {
	return do[*Avatar](ctx, s.client, http.MethodGet, at("avatar"), opt, opts)
}
