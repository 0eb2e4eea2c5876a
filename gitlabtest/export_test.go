package gitlabtest

// RouteKeys returns every route as RequestCounts keys it, e.g.
// "GET /users/:id", for the tests of package gitlabtest_test.
func RouteKeys() []string {
	var keys []string
	for _, rt := range buildRoutes() {
		keys = append(keys, rt.method+" "+rt.pattern)
	}
	return keys
}
