package conformance

import (
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// driven records, for each route a test's fake served ("GET
// /users/:id"), the top-level tests that drove it and whether each
// passed.
var (
	drivenMu sync.Mutex
	driven   = map[string]map[string]bool{}
)

// recordDriven records the routes a test's fake served (counts as
// gitlabtest's RequestCounts gives them).
func recordDriven(t *testing.T, counts map[string]int) {
	test, _, _ := strings.Cut(t.Name(), "/")
	drivenMu.Lock()
	defer drivenMu.Unlock()
	for route := range counts {
		if driven[route] == nil {
			driven[route] = map[string]bool{}
		}
		passed, seen := driven[route][test]
		driven[route][test] = (passed || !seen) && !t.Failed()
	}
}

// TestMain runs the tests, then, when all of them ran, checks that the
// README's table of driven endpoints is what the tests drove: the same
// routes, each with exactly the tests that drove it, and its result.
func TestMain(m *testing.M) {
	code := m.Run()
	if !partialRun() {
		if err := checkDriven(); err != nil {
			fmt.Fprintln(os.Stderr, "README.md and the tests disagree:\n"+err.Error())
			code = 1
		}
	}
	os.Exit(code)
}

// partialRun reports whether go test ran only some of the tests.
func partialRun() bool {
	for _, name := range []string{"test.run", "test.skip", "test.list"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return true
		}
	}
	f := flag.Lookup("test.failfast")
	return f != nil && f.Value.String() == "true"
}

// checkDriven compares the recorded routes with the README's table.
func checkDriven() error {
	rows, _, _, err := readREADME()
	if err != nil {
		return err
	}
	var errs []error
	listed := map[string]bool{}
	for _, r := range rows {
		listed[r.route] = true
		got := driven[r.route]
		if want := slices.Sorted(maps.Keys(got)); !slices.Equal(r.tests, want) {
			errs = append(errs, fmt.Errorf("%s: README names tests %v, the tests that drove it are %v", r.route, r.tests, want))
			continue
		}
		passed := true
		for _, ok := range got {
			passed = passed && ok
		}
		if passed != r.passes() {
			errs = append(errs, fmt.Errorf("%s: README says %q, but its tests passed: %v", r.route, r.result, passed))
		}
	}
	for _, route := range slices.Sorted(maps.Keys(driven)) {
		switch {
		case strings.HasSuffix(route, " *"):
			errs = append(errs, fmt.Errorf("%s: client-go sent a request that no route of the fake serves (tests %v)", route, slices.Sorted(maps.Keys(driven[route]))))
		case !listed[route]:
			errs = append(errs, fmt.Errorf("%s is driven by %v but missing from README's table", route, slices.Sorted(maps.Keys(driven[route]))))
		}
	}
	return errors.Join(errs...)
}

// row is a row of the README's table of driven endpoints.
type row struct {
	route  string // "GET /users/:id"
	tests  []string
	result string
}

// passes reports whether the row's result says its tests pass.
func (r row) passes() bool { return strings.HasPrefix(r.result, "pass") }

// counts is the README's line of counts.
type counts struct{ served, driven, passing int }

var (
	tableRow  = regexp.MustCompile("^\\| (GET|POST|PUT|PATCH|DELETE) \\| `([^`]+)` \\|(.*)\\|$")
	countLine = regexp.MustCompile(`^Endpoints gitlabtest serves: (\d+)\. Driven through client-go: (\d+)\. Passing: (\d+)\.$`)
	routeRow  = regexp.MustCompile(`\{"(GET|POST|PUT|PATCH|DELETE)", "(/[^"]*)"`)
)

// readREADME parses README.md: the table of driven endpoints (method,
// path, client-go method, tests, result), the table of routes client-go
// does not call (method, path, reason) and the line of counts.
func readREADME() (drivenRows []row, notCalled []string, c counts, err error) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		return nil, nil, c, err
	}
	found := false
	for line := range strings.SplitSeq(string(b), "\n") {
		if m := countLine.FindStringSubmatch(line); m != nil {
			found = true
			c.served, _ = strconv.Atoi(m[1])
			c.driven, _ = strconv.Atoi(m[2])
			c.passing, _ = strconv.Atoi(m[3])
		}
		m := tableRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		route := m[1] + " " + m[2]
		cells := strings.Split(m[3], "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch len(cells) {
		case 3: // client-go method, tests, result
			var tests []string
			for test := range strings.SplitSeq(cells[1], ",") {
				tests = append(tests, strings.Trim(strings.TrimSpace(test), "`"))
			}
			slices.Sort(tests)
			drivenRows = append(drivenRows, row{route: route, tests: tests, result: cells[2]})
		case 1: // reason
			notCalled = append(notCalled, route)
		default:
			return nil, nil, c, fmt.Errorf("README.md: a row of %d cells: %s", len(cells)+2, line)
		}
	}
	if !found {
		return nil, nil, c, errors.New("README.md has no line of counts")
	}
	return drivenRows, notCalled, c, nil
}

// TestREADMEListsEveryRoute checks that every route of gitlabtest's
// routes.go, routes_members.go and the other routes*.go files is in exactly one of the
// README's tables, and that the
// counts agree with the tables.
func TestREADMEListsEveryRoute(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../gitlabtest/routes*.go")
	require.NoError(t, err)
	var served []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range routeRow.FindAllStringSubmatch(string(src), -1) {
			served = append(served, m[1]+" "+m[2])
		}
	}
	require.NotEmpty(t, served, "no route found in routes*.go")

	rows, notCalled, c, err := readREADME()
	require.NoError(t, err)
	times := map[string]int{} // route -> rows listing it
	passing := 0
	for _, r := range rows {
		times[r.route]++
		if r.passes() {
			passing++
		}
	}
	for _, route := range notCalled {
		times[route]++
	}
	for _, route := range served {
		assert.Equal(t, 1, times[route], "%s is a route of routes*.go: README's tables must list it once", route)
		delete(times, route)
	}
	assert.Empty(t, slices.Sorted(maps.Keys(times)), "README lists routes that routes*.go does not serve")
	assert.Equal(t, counts{len(served), len(rows), passing}, c, "README's line of counts")
}
