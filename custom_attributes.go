package gitlab

import (
	"context"
	"net/http"
)

// CustomAttributesService manages the custom attributes of users:
// key/value pairs that administrators (and integrations such as an
// identity provider's sync) attach to accounts. Administrators only;
// GitLab answers 403 to anyone else.
//
// GitLab also writes some keys itself (blocked_by, unblocked_by, ...),
// and these show up in List. To read attributes along with users, or to
// find users by attribute, use GetUserOptions.WithCustomAttributes and
// ListUsersOptions.CustomAttributes.
//
// GitLab API docs: https://docs.gitlab.com/api/custom_attributes/
type CustomAttributesService service

// setCustomAttribute is the body of PUT .../custom_attributes/:key.
type setCustomAttribute struct {
	Value string `url:"value"`
}

func (o *setCustomAttribute) validate() error {
	if o.Value == "" {
		return invalidArg("set custom attribute: value must not be empty (GitLab refuses a blank value)")
	}
	return nil
}

// List returns all of a user's custom attributes. GitLab does not
// paginate this list. A missing user is 404 (ErrNotFound).
//
// GitLab API docs: https://docs.gitlab.com/api/custom_attributes/#list-custom-attributes
func (s *CustomAttributesService) List(ctx context.Context, userID int64, opts ...RequestOption) ([]*CustomAttribute, *Response, error) {
	return doList[*CustomAttribute](ctx, s.client, at("users", userID, "custom_attributes"), nil, opts)
}

// Get returns one of a user's custom attributes; an unknown key is 404
// (ErrNotFound). The key is escaped as one path segment. GitLab may not
// route a key containing a dot, which it reads as a format suffix.
//
// GitLab API docs: https://docs.gitlab.com/api/custom_attributes/#single-custom-attribute
func (s *CustomAttributesService) Get(ctx context.Context, userID int64, key string, opts ...RequestOption) (*CustomAttribute, *Response, error) {
	return do[*CustomAttribute](ctx, s.client, http.MethodGet, at("users", userID, "custom_attributes", segment{"key", key}), nil, opts)
}

// Set creates or replaces a user's custom attribute and returns it.
// Neither key nor value may be empty.
//
// GitLab API docs: https://docs.gitlab.com/api/custom_attributes/#set-custom-attribute
func (s *CustomAttributesService) Set(ctx context.Context, userID int64, key, value string, opts ...RequestOption) (*CustomAttribute, *Response, error) {
	return do[*CustomAttribute](ctx, s.client, http.MethodPut, at("users", userID, "custom_attributes", segment{"key", key}),
		&setCustomAttribute{Value: value}, opts)
}

// Delete removes a user's custom attribute; an unknown key is 404
// (ErrNotFound).
//
// GitLab API docs: https://docs.gitlab.com/api/custom_attributes/#delete-custom-attribute
func (s *CustomAttributesService) Delete(ctx context.Context, userID int64, key string, opts ...RequestOption) (*Response, error) {
	return doNoValue(ctx, s.client, http.MethodDelete, at("users", userID, "custom_attributes", segment{"key", key}), nil, opts)
}
