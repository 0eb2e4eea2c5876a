package gitlab_test

import (
	"context"
	"testing"
	"time"

	"github.com/gitlabusers/gitlab"
	"github.com/gitlabusers/gitlab/gitlabtest"
)

// Defect 1 against gitlabtest: with a budget of 2 a window, the margin
// spends the next window's budget at once and no answer is on its way to
// tell its reset; the third call in a row never went out. (It takes up to
// a second: the third call waits for the end of the fake's window.)
func TestPacingStallsWithoutResetAgainstGitlabtest(t *testing.T) {
	srv := gitlabtest.NewServer(gitlabtest.WithRateLimit(2, time.Second, 0))
	defer srv.Close()
	client := srv.Client(gitlab.WithRateLimitPacing())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := range 3 {
		if _, _, err := client.Users.Get(ctx, 1, nil); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
}
