package gitlab

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The targets below fuzz the JSON decoding of every response type. For
// each input they decode the bytes both as one value and as a list (the
// two shapes the SDK decodes); the property is that decoding never
// panics and that a value that decoded re-encodes without error and
// decodes again to an equal value (timestamps compared as instants,
// ISODate as calendar dates, nil and empty slices alike). A failure
// means a type loses or changes data when it is stored and read back,
// e.g. a custom UnmarshalJSON that accepts what its MarshalJSON cannot
// reproduce.
//
// Seeds: every testdata/*.json fixture (objects, lists and the objects
// nested in them), plus testdata/fuzz/<FuzzName>/ for hostile shapes.

func FuzzDecodeUser(f *testing.F)                { fuzzTypesDecode[User](f) }
func FuzzDecodeIdentity(f *testing.F)            { fuzzTypesDecode[Identity](f) }
func FuzzDecodeCustomAttribute(f *testing.F)     { fuzzTypesDecode[CustomAttribute](f) }
func FuzzDecodeSSHKey(f *testing.F)              { fuzzTypesDecode[SSHKey](f) }
func FuzzDecodeGPGKey(f *testing.F)              { fuzzTypesDecode[GPGKey](f) }
func FuzzDecodeEmail(f *testing.F)               { fuzzTypesDecode[Email](f) }
func FuzzDecodeUserStatus(f *testing.F)          { fuzzTypesDecode[UserStatus](f) }
func FuzzDecodeUserCounts(f *testing.F)          { fuzzTypesDecode[UserCounts](f) }
func FuzzDecodeUserActivity(f *testing.F)        { fuzzTypesDecode[UserActivity](f) }
func FuzzDecodeMembership(f *testing.F)          { fuzzTypesDecode[Membership](f) }
func FuzzDecodeImpersonationToken(f *testing.F)  { fuzzTypesDecode[ImpersonationToken](f) }
func FuzzDecodePersonalAccessToken(f *testing.F) { fuzzTypesDecode[PersonalAccessToken](f) }
func FuzzDecodeTokenAssociations(f *testing.F)   { fuzzTypesDecode[TokenAssociations](f) }
func FuzzDecodeServiceAccount(f *testing.F)      { fuzzTypesDecode[ServiceAccount](f) }
func FuzzDecodeKeyWithUser(f *testing.F)         { fuzzTypesDecode[KeyWithUser](f) }
func FuzzDecodeUserAssociationsCount(f *testing.F) {
	fuzzTypesDecode[UserAssociationsCount](f)
}
func FuzzDecodeUserPreferences(f *testing.F)    { fuzzTypesDecode[UserPreferences](f) }
func FuzzDecodeAvatar(f *testing.F)             { fuzzTypesDecode[Avatar](f) }
func FuzzDecodeUserRunner(f *testing.F)         { fuzzTypesDecode[UserRunner](f) }
func FuzzDecodeSupportPIN(f *testing.F)         { fuzzTypesDecode[SupportPIN](f) }
func FuzzDecodeMember(f *testing.F)             { fuzzTypesDecode[Member](f) }
func FuzzDecodeAddMembersResult(f *testing.F)   { fuzzTypesDecode[AddMembersResult](f) }
func FuzzDecodeInvitationResult(f *testing.F)   { fuzzTypesDecode[InvitationResult](f) }
func FuzzDecodeBillableMember(f *testing.F)     { fuzzTypesDecode[BillableMember](f) }
func FuzzDecodeBillableMembership(f *testing.F) { fuzzTypesDecode[BillableMembership](f) }
func FuzzDecodePendingMember(f *testing.F)      { fuzzTypesDecode[PendingMember](f) }
func FuzzDecodeInvitation(f *testing.F)         { fuzzTypesDecode[Invitation](f) }
func FuzzDecodeAccessRequest(f *testing.F)      { fuzzTypesDecode[AccessRequest](f) }
func FuzzDecodeDeployKey(f *testing.F)          { fuzzTypesDecode[DeployKey](f) }
func FuzzDecodeEvent(f *testing.F)              { fuzzTypesDecode[Event](f) }
func FuzzDecodeAccessToken(f *testing.F)        { fuzzTypesDecode[AccessToken](f) }
func FuzzDecodeDeployToken(f *testing.F)        { fuzzTypesDecode[DeployToken](f) }
func FuzzDecodeOAuthApplication(f *testing.F)   { fuzzTypesDecode[OAuthApplication](f) }
func FuzzDecodeGroupIdentity(f *testing.F)      { fuzzTypesDecode[GroupIdentity](f) }
func FuzzDecodeSCIMIdentity(f *testing.F)       { fuzzTypesDecode[SCIMIdentity](f) }
func FuzzDecodeClusterAgentToken(f *testing.F)  { fuzzTypesDecode[ClusterAgentToken](f) }
func FuzzDecodeRunner(f *testing.F)             { fuzzTypesDecode[Runner](f) }
func FuzzDecodePipelineTrigger(f *testing.F)    { fuzzTypesDecode[PipelineTrigger](f) }
func FuzzDecodeCIJob(f *testing.F)              { fuzzTypesDecode[CIJob](f) }
func FuzzDecodeFeatureFlagsClient(f *testing.F) { fuzzTypesDecode[FeatureFlagsClient](f) }
func FuzzDecodeSAMLGroupLink(f *testing.F)      { fuzzTypesDecode[SAMLGroupLink](f) }
func FuzzDecodeLDAPGroupLink(f *testing.F)      { fuzzTypesDecode[LDAPGroupLink](f) }
func FuzzDecodeAuditEvent(f *testing.F)         { fuzzTypesDecode[AuditEvent](f) }

// FuzzDecodeCreatedGPGKey covers the custom decoder of POST
// .../gpg_keys answers (an object or a one-element array).
func FuzzDecodeCreatedGPGKey(f *testing.F) {
	fuzzTypesSeed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var c createdGPGKey
		if err := jsonUnmarshal(b, &c); err != nil {
			return
		}
		if c.key == nil {
			// Only "null" may decode to no key.
			if strings.TrimSpace(string(b)) != "null" {
				t.Fatalf("%q decoded without error to no key", b)
			}
			return
		}
		fuzzTypesCheckRoundTrip(t, b, *c.key)
	})
}

// fuzzTypesDecode is the body of the per-type targets.
func fuzzTypesDecode[T any](f *testing.F) {
	fuzzTypesSeed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var one T
		if err := jsonUnmarshal(b, &one); err == nil {
			fuzzTypesCheckRoundTrip(t, b, one)
		}
		var list []*T
		if err := jsonUnmarshal(b, &list); err == nil {
			fuzzTypesCheckRoundTrip(t, b, list)
		}
	})
}

// fuzzTypesCheckRoundTrip encodes v, decodes the result into a fresh
// value of the same type, and fails unless both are equal.
func fuzzTypesCheckRoundTrip[V any](t *testing.T, in []byte, v V) {
	t.Helper()
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T decoded from %q cannot be encoded again: %v", v, in, err)
	}
	var again V
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatalf("%T: re-encoded %q does not decode: %v (input %q)", v, out, err, in)
	}
	if path, ok := fuzzTypesEqual(reflect.ValueOf(v), reflect.ValueOf(again), "v"); !ok {
		t.Fatalf("%T changed in a round trip at %s\ninput:      %q\nre-encoded: %q", v, path, in, out)
	}
}

var (
	fuzzTypesTime    = reflect.TypeFor[time.Time]()
	fuzzTypesISODate = reflect.TypeFor[ISODate]()
	fuzzTypesSecret  = reflect.TypeFor[Secret]()
)

// fuzzTypesEqual compares two decoded values the way a caller would:
// time.Time by instant, ISODate by calendar date, nil and empty slices
// as equal. A Secret is encoded as "REDACTED" by design (so that no log
// shows it): a secret must come back as REDACTED, an empty one empty.
// It returns the path of the first difference.
func fuzzTypesEqual(a, b reflect.Value, path string) (string, bool) {
	if a.Type() != b.Type() {
		return path + " (type)", false
	}
	switch a.Type() {
	case fuzzTypesTime:
		return path, a.Interface().(time.Time).Equal(b.Interface().(time.Time))
	case fuzzTypesISODate:
		return path, a.Interface().(ISODate).String() == b.Interface().(ISODate).String()
	case fuzzTypesSecret:
		was, now := a.Interface().(Secret).Value(), b.Interface().(Secret).Value()
		return path, (was == "" && now == "") || (was != "" && now == "REDACTED")
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return path, a.IsNil() == b.IsNil()
		}
		return fuzzTypesEqual(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range a.NumField() {
			if p, ok := fuzzTypesEqual(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); !ok {
				return p, false
			}
		}
		return path, true
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return path + " (length)", false
		}
		for i := range a.Len() {
			if p, ok := fuzzTypesEqual(a.Index(i), b.Index(i), path+"[]"); !ok {
				return p, false
			}
		}
		return path, true
	case reflect.Map:
		if a.Len() != b.Len() {
			return path + " (length)", false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				return path + "[key]", false
			}
			if p, ok := fuzzTypesEqual(a.MapIndex(k), bv, path+"[key]"); !ok {
				return p, false
			}
		}
		return path, true
	}
	return path, reflect.DeepEqual(fuzzTypesExported(a), fuzzTypesExported(b))
}

// fuzzTypesExported returns the value of a leaf field, which may be
// unexported (read through reflection only).
func fuzzTypesExported(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint()
	case reflect.Float32, reflect.Float64:
		return v.Float()
	case reflect.String:
		return v.String()
	}
	if v.CanInterface() {
		return v.Interface()
	}
	return v.String()
}

// fuzzTypesSeed adds every fixture, each element of the list fixtures,
// and every object nested in them (identities, custom attributes,
// created_by...), so each target starts from real GitLab shapes.
func fuzzTypesSeed(f *testing.F) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures in testdata: %v", err)
	}
	seen := map[string]bool{}
	add := func(b []byte) {
		if !seen[string(b)] {
			seen[string(b)] = true
			f.Add(b)
		}
	}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		add(raw)
		var v any
		if json.Unmarshal(raw, &v) != nil {
			continue
		}
		fuzzTypesWalk(v, func(sub any) {
			if b, err := json.Marshal(sub); err == nil {
				add(b)
			}
		})
	}
}

// fuzzTypesWalk calls fn for every object and array inside v.
func fuzzTypesWalk(v any, fn func(any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(x)
		for _, e := range x {
			fuzzTypesWalk(e, fn)
		}
	case []any:
		fn(x)
		for _, e := range x {
			fuzzTypesWalk(e, fn)
		}
	}
}
