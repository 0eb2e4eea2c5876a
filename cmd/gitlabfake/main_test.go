package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gitlabusers/gitlab/gitlabtest"
)

func TestGitlabfakeRunServes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan *gitlabtest.Server, 1)
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-users", "3", "-token", "secret-admin"}, &out, ready) }()
	s := <-ready

	req, _ := http.NewRequest("GET", s.URL+"/api/v4/users?per_page=100", nil)
	req.Header.Set("PRIVATE-TOKEN", "secret-admin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var users []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&users); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(users) != 4 || resp.Header.Get("X-Total") != "4" {
		t.Fatalf("GET /users: %d, %d users, X-Total %q", resp.StatusCode, len(users), resp.Header.Get("X-Total"))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), s.URL) || !strings.Contains(out.String(), "admin token: secret-admin") {
		t.Fatalf("output lacks URL or token:\n%s", out.String())
	}
}

func TestGitlabfakeRunRejectsBadFlags(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-users", "-1"}, &out, nil); err == nil {
		t.Fatal("negative -users accepted")
	}
	if err := run(context.Background(), []string{"-nope"}, &out, nil); err == nil {
		t.Fatal("unknown flag accepted")
	}
}

// -h prints the usage and is reported as flag.ErrHelp, which main treats
// as success (exit 0); a bad flag is an error (exit 2).
func TestHelp(t *testing.T) {
	var out strings.Builder
	err := run(context.Background(), []string{"-h"}, &out, nil)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "-users") {
		t.Fatalf("-h: err %v, output %q", err, out.String())
	}
	if err := run(context.Background(), []string{"-bogus"}, io.Discard, nil); err == nil || errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-bogus: err %v", err)
	}
}
