package main

import (
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

var updateMan = flag.Bool("update-man", false, "rewrite docs/mfa-git.1 from the command table")

const manFile = "../../docs/mfa-git.1"

// TestManPageUpToDate fails when docs/mfa-git.1 was not regenerated after
// a change to the command table, the flags or the environment table.
func TestManPageUpToDate(t *testing.T) {
	want := manPage()
	if *updateMan {
		if err := os.WriteFile(manFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(manFile)
	if err != nil {
		t.Fatalf("%v (generate it: go test ./cmd/mfa-git -run TestManPageUpToDate -update-man)", err)
	}
	if string(got) != want {
		t.Fatalf("docs/mfa-git.1 is stale: regenerate it with\n  go test ./cmd/mfa-git -run TestManPageUpToDate -update-man")
	}
}

// TestManPageRenders renders the committed page with man, as a user
// would, and fails on any warning groff gives. --warnings is man-db's, so
// it looks up man-db (man and mandb) and groff, which macOS (mandoc) and
// Windows lack, and skips naming those missing; wherever they are, it runs.
func TestManPageRenders(t *testing.T) {
	testenv.RequireAll(t, "man", "mandb", "groff")
	man, _ := exec.LookPath("man")
	cmd := exec.Command(man, "--warnings", "-l", manFile)
	cmd.Env = append(os.Environ(), "MANWIDTH=80", "MANPAGER=cat", "PAGER=cat", "LANG=C.UTF-8")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("man --warnings -l %s: %v\n%s", manFile, err, stderr.String())
	}
	for _, want := range []string{"MFA-GIT(1)", "mfa-git completion bash|zsh|fish|powershell", "AWS_ENDPOINT_URL_IAM", "--profile"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
}

// TestEveryCommandDocumented: every command is in one group of the
// command list, with a one-line summary, so --help, the man page and the
// completions name it.
func TestEveryCommandDocumented(t *testing.T) {
	seen := map[string]int{}
	for _, g := range commandGroups {
		for _, n := range g.names {
			seen[n]++
			if _, ok := commands[n]; !ok {
				t.Errorf("group %q lists %q, which is not a command", g.title, n)
			}
		}
	}
	for name, cmd := range commands {
		if seen[name] != 1 {
			t.Errorf("command %q is in %d groups of the command list, want 1", name, seen[name])
		}
		if cmd.short == "" || !strings.HasPrefix(cmd.usage, name) {
			t.Errorf("command %q: short %q, usage %q", name, cmd.short, cmd.usage)
		}
		for _, f := range cmd.flags {
			if newFlagSet(&flags{}).Lookup(f) == nil {
				t.Errorf("command %q takes --%s, which is not a flag", name, f)
			}
		}
	}
}
