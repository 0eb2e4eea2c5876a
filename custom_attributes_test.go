package gitlab

import (
	"context"
	"testing"
)

// The calls of CustomAttributesService: the request each sends and what
// it decodes.
func TestCustomAttributes(t *testing.T) {
	location := &CustomAttribute{Key: "location", Value: "Antarctica"}
	cases := []endpointCase{
		{name: "List", method: "GET", path: "/users/2/custom_attributes", match: queryIs(), fixture: "list_custom_attributes.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.CustomAttributes.List(ctx, 2))
			},
			want: []*CustomAttribute{location, {Key: "role", Value: "Developer"}}},
		{name: "Set", method: "PUT", path: "/users/2/custom_attributes/location", match: formIs("value", "Antarctica"),
			fixture: "custom_attribute.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.CustomAttributes.Set(ctx, 2, "location", "Antarctica"))
			},
			want: location},
		{name: "NotFound", method: "GET", path: "/users/2/custom_attributes/nope",
			status: 404, json: map[string]string{"message": "404 Not found"},
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.CustomAttributes.Get(ctx, 2, "nope"))
			},
			wantErr: ErrNotFound},
	}
	// The key is one escaped path segment.
	for key, path := range map[string]string{
		"location":  "/users/2/custom_attributes/location",
		"idp/group": "/users/2/custom_attributes/idp%2Fgroup",
		"..":        "/users/2/custom_attributes/%2E%2E",
		"a b":       "/users/2/custom_attributes/a%20b",
	} {
		cases = append(cases, endpointCase{name: "Get/" + key, method: "GET", path: path, match: queryIs(),
			fixture: "custom_attribute.json",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return value(c.CustomAttributes.Get(ctx, 2, key))
			},
			want: location})
	}
	runEndpointCases(t, cases)
}

func TestCustomAttributeJSONRoundTrip(t *testing.T) {
	assertRoundTrip[CustomAttribute](t, "custom_attribute.json")
	assertRoundTrip[[]CustomAttribute](t, "list_custom_attributes.json")
}
