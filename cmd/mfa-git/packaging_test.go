//go:build linux

// agent install writes a systemd unit only on Linux.

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/agent/service"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
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

// TestInstallScriptSaysWhatItDoes: install.sh says what it is building,
// with which Go, before go build runs (a wrapper go on PATH marks the
// moment in the same output), then one line per step, each its own, and
// none of go's download chatter.
func TestInstallScriptSaysWhatItDoes(t *testing.T) {
	t.Parallel()
	testenv.Require(t, "git")
	realGo := testenv.Require(t, "go")
	dir := t.TempDir()
	prefix, wrapDir := filepath.Join(dir, "prefix"), filepath.Join(dir, "wrap")
	outPath := filepath.Join(dir, "out")
	if err := os.Mkdir(wrapDir, 0o700); err != nil {
		t.Fatal(err)
	}
	wrapper := "#!/bin/sh\n[ \"$1\" = build ] && echo \"(go $*)\" >>\"$INSTALL_TEST_OUT\"\nexec " + realGo + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(wrapDir, "go"), []byte(wrapper), 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(outPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command("sh", "../../install.sh", "--prefix", prefix)
	cmd.Env = append(os.Environ(), "HOME="+dir, "INSTALL_TEST_OUT="+outPath, "PATH="+wrapDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Stdout, cmd.Stderr = out, out
	runErr := cmd.Run()
	got, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	if runErr != nil {
		t.Fatalf("install.sh: %v\n%s", runErr, got)
	}
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	want := []string{
		`^install\.sh: building mfa-git \S+ with go1\.[0-9.]+ \(the first build takes minutes, later ones seconds\)\.\.\.$`,
		`^\(go build .*\./cmd/mfa-git\)$`,
		`^install\.sh: installed ` + regexp.QuoteMeta(filepath.Join(prefix, "bin", "mfa-git")) + `$`,
		`^install\.sh: linked +` + regexp.QuoteMeta(filepath.Join(prefix, "bin", "git-credential-mfa-git")) + ` and git-remote-codecommit -> mfa-git$`,
		`^install\.sh: installed the man page and the bash, fish and zsh completions under ` + regexp.QuoteMeta(filepath.Join(prefix, "share")) + `$`,
		`^install\.sh: note: ` + regexp.QuoteMeta(filepath.Join(prefix, "bin")) + ` is not on your PATH; add: export PATH=.*$`,
	}
	if len(lines) != len(want) {
		t.Fatalf("install.sh printed %d lines, want %d:\n%s", len(lines), len(want), got)
	}
	for i, re := range want {
		if !regexp.MustCompile(re).MatchString(lines[i]) {
			t.Errorf("line %d: %q\ndoes not match %s\nwhole output:\n%s", i+1, lines[i], re, got)
		}
	}
}

// TestSandboxManPageNamesEveryFlag: the man page the release ships for
// mfa-git-sandbox (packaging/man) names every flag its --help lists.
func TestSandboxManPageNamesEveryFlag(t *testing.T) {
	t.Parallel()
	goBin := testenv.Require(t, "go")
	bin := filepath.Join(t.TempDir(), "mfa-git-sandbox")
	if out, err := exec.Command(goBin, "build", "-o", bin, "../mfa-git-sandbox").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	help, _ := exec.Command(bin, "--help").CombinedOutput() // the usage is what matters, not the exit code
	flags := regexp.MustCompile(`(?m)^\s+--([a-z][a-z-]*)`).FindAllStringSubmatch(string(help), -1)
	if len(flags) == 0 {
		t.Fatalf("no flags in mfa-git-sandbox --help:\n%s", help)
	}
	page, err := os.ReadFile("../../packaging/man/mfa-git-sandbox.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range flags {
		if !strings.Contains(string(page), `\-\-`+f[1]+" ") {
			t.Errorf("packaging/man/mfa-git-sandbox.1 does not describe --%s", f[1])
		}
	}
}
