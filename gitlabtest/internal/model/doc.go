// Package model is gitlabtest's domain layer: the state of a fake GitLab
// and GitLab's rules over it, with no HTTP in sight. It knows users and
// their keys, emails, tokens, follows and memberships, and the rules
// GitLab applies to them (state transitions, token expiry and rotation,
// who may see whom, uniqueness), but not routes, parameters, status
// codes or JSON: gitlabtest's HTTP layer reads a request, calls one of
// the Store's operations and renders what it returns, turning an *Error
// into GitLab's status and body in one place (gitlabtest/errors.go).
//
// The Store is not safe for concurrent use: the caller holds a lock
// (gitlabtest.Server's mu), for reading around methods that only read
// and for writing around every other one. Methods that change nothing
// say so in their comment ("reads only").
//
// The rules cite the GitLab source files they come from. Two lists GitLab
// validates against, its emoji names and its common passwords, are
// shipped as data (data/, whose README says where each comes from), and
// gitlabtest/VALIDATIONS.md compares each validation with GitLab's.
package model
