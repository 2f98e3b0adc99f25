//go:build linux

// agent install writes a systemd unit only on Linux.

package main

import (
	"os"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/agent/service"
)

// TestPackagedUnitMatchesAgentInstall: the systemd user unit the .deb and
// .rpm install is the one "mfa-git agent install" writes for
// /usr/bin/mfa-git, apart from the comment that says who installed it.
func TestPackagedUnitMatchesAgentInstall(t *testing.T) {
	svc, err := service.For(service.Config{Exe: "/usr/bin/mfa-git", Home: "/home/someone", Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	packaged, err := os.ReadFile("../../packaging/systemd/mfa-git-agent.service")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := withoutComments(string(packaged)), withoutComments(svc.Content); got != want {
		t.Errorf("packaging/systemd/mfa-git-agent.service differs from what agent install writes:\n%s\nwant:\n%s", got, want)
	}
}

func withoutComments(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "#") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
