package model

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestNoHTTP keeps the domain layer apart from the wire: neither the
// package nor anything it imports may use net/http or encoding/json
// (nor the SDK, which brings both).
func TestNoHTTP(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 || !slices.Contains(deps, "time") {
		t.Fatalf("go list -deps listed too little to judge: %q", deps)
	}
	for _, banned := range []string{"net/http", "encoding/json", "github.com/gitlabusers/gitlab"} {
		if slices.Contains(deps, banned) {
			t.Errorf("the domain layer depends on %s", banned)
		}
	}
}
