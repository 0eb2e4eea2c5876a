package gitlabtest_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

// Issue 25, defect 11: printing or logging a Server shows its URL but
// never its administrator's token, with a random token and with one set
// by WithAdminToken.
func TestServerPrintHidesAdminToken(t *testing.T) {
	for name, opts := range map[string][]gitlabtest.Option{
		"random":         nil,
		"WithAdminToken": {gitlabtest.WithAdminToken("glpat-fixed-admin-secret-42")},
	} {
		s := gitlabtest.NewServer(opts...)
		token := s.AdminToken()
		type app struct {
			Srv *gitlabtest.Server
			srv *gitlabtest.Server
		}
		forms := map[string]string{}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			forms[verb] = fmt.Sprintf(verb, s)
			forms["holder "+verb] = fmt.Sprintf(verb, app{s, s})
		}
		for hname, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
			"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		} {
			var b bytes.Buffer
			slog.New(newHandler(&b)).Info("msg", "srv", s)
			forms["slog "+hname] = b.String()
			b.Reset()
			slog.New(newHandler(&b)).Info("msg", "app", app{s, s}, "list", []*gitlabtest.Server{s})
			forms["slog "+hname+" holder"] = b.String()
		}
		for form, text := range forms {
			assert.NotContains(t, text, token, "%s: %s", name, form)
			assert.NotContains(t, text, "glpat-", "%s: %s", name, form)
		}
		for _, form := range []string{"%v", "%+v", "%#v", "%s", "slog text", "slog json"} {
			assert.Contains(t, forms[form], s.URL, "%s: %s shows the URL", name, form)
		}
		s.Close()
	}
}
