package gitlab_test

import (
	"os/exec"
	"regexp"
	"testing"
)

// TestPackageDocsForUsers keeps the package overviews about using the
// library: go doc of gitlab and gitlabtest names no source file and no
// lock (how the code is laid out is ARCHITECTURE.md's subject).
func TestPackageDocsForUsers(t *testing.T) {
	internals := regexp.MustCompile(`\b[a-z_]+\.go\b|\b(mu|mutex|RWMutex|RLock|RUnlock)\b`)
	for _, pkg := range []string{".", "./gitlabtest"} {
		out, err := exec.Command("go", "doc", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go doc %s: %v\n%s", pkg, err, out)
		}
		if len(out) < 500 {
			t.Fatalf("go doc %s printed too little to judge:\n%s", pkg, out)
		}
		if m := internals.FindAll(out, -1); m != nil {
			t.Errorf("go doc %s names internals: %q", pkg, m)
		}
	}
}
