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

// ScanLists makes GET /users of s filter and sort every user on each
// request instead of using the store's ID order, as the reference the
// index is compared with. Set it before the first request.
func ScanLists(s *Server) { s.scanLists = true }
