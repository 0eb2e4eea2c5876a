package gitlab

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCustomAttributesList(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/2/custom_attributes").AddMatcher(exactQuery("")).
		Reply(200).BodyString(string(fixture(t, "list_custom_attributes.json")))

	attrs, _, err := c.CustomAttributes.List(context.Background(), 2)
	require.NoError(t, err)
	assert.Equal(t, []*CustomAttribute{{Key: "location", Value: "Antarctica"}, {Key: "role", Value: "Developer"}}, attrs)
}

// The key is one escaped path segment.
func TestCustomAttributesGet(t *testing.T) {
	for key, path := range map[string]string{
		"location":  "/users/2/custom_attributes/location",
		"idp/group": "/users/2/custom_attributes/idp%2Fgroup",
		"..":        "/users/2/custom_attributes/%2E%2E",
		"a b":       "/users/2/custom_attributes/a%20b",
	} {
		t.Run(key, func(t *testing.T) {
			c := newTestClient(t)
			mock("GET", path).AddMatcher(exactQuery("")).
				Reply(200).BodyString(string(fixture(t, "custom_attribute.json")))

			attr, _, err := c.CustomAttributes.Get(context.Background(), 2, key)
			require.NoError(t, err)
			assert.Equal(t, &CustomAttribute{Key: "location", Value: "Antarctica"}, attr)
		})
	}
}

func TestCustomAttributesSet(t *testing.T) {
	c := newTestClient(t)
	mock("PUT", "/users/2/custom_attributes/location").AddMatcher(exactForm(form("value", "Antarctica"))).
		Reply(200).BodyString(string(fixture(t, "custom_attribute.json")))

	attr, resp, err := c.CustomAttributes.Set(context.Background(), 2, "location", "Antarctica")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, &CustomAttribute{Key: "location", Value: "Antarctica"}, attr)
}

func TestCustomAttributesNotFound(t *testing.T) {
	c := newTestClient(t)
	mock("GET", "/users/2/custom_attributes/nope").Reply(404).JSON(map[string]string{"message": "404 Not found"})

	_, _, err := c.CustomAttributes.Get(context.Background(), 2, "nope")
	require.ErrorIs(t, err, ErrNotFound)
}

func TestCustomAttributeJSONRoundTrip(t *testing.T) {
	assertRoundTrip[CustomAttribute](t, "custom_attribute.json")
	assertRoundTrip[[]CustomAttribute](t, "list_custom_attributes.json")
}
