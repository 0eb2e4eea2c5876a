package gitlabtest

import "bytes"

// RouteKeys returns every route as RequestCounts keys it, e.g.
// "GET /users/:id", for the tests of package gitlabtest_test.
func RouteKeys() []string {
	var keys []string
	for _, rt := range buildRoutes() {
		keys = append(keys, rt.method+" "+rt.pattern)
	}
	return keys
}

// ScanLists makes GET /users of s filter and sort every user on each
// request instead of using the store's ID order, as the reference the
// index is compared with. Set it before the first request.
func ScanLists(s *Server) { s.scanLists = true }

// EncodeJSON returns v as the fake writes it (appendJSON) and as
// encoding/json writes it without HTML escaping (encodeJSON).
func EncodeJSON(v any) (fast, std string) {
	b, err := appendJSON(nil, v)
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := encodeJSON(&buf, v); err != nil {
		panic(err)
	}
	return string(b), buf.String()
}

// Obj builds an ordered JSON object of key, value pairs.
func Obj(kv ...any) any {
	o := &obj{}
	for i := 0; i < len(kv); i += 2 {
		o.set(kv[i].(string), kv[i+1])
	}
	return o
}
