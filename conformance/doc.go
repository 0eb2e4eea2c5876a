// Package conformance is a module of its own that drives gitlabtest with
// another client, client-go v2.64.0, through every endpoint both of them
// cover, and asserts what GitLab answers: the status, the body on the
// wire, the fields client-go decodes and, after a write, the fake's state
// read back through gitlabtest's snapshot API. The SDK's module never
// depends on client-go.
//
// README.md lists the endpoints driven, the test that drives each, its
// result, and every difference found with the GitLab source that
// decides it; readme_test.go fails when the README and the tests
// disagree.
package conformance
