package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/shell"
)

// TestCompletionCoversTable: each shell's script offers every command and
// every flag of the table, so a command or flag added later cannot be
// missing from completion.
func TestCompletionCoversTable(t *testing.T) {
	fs := newFlagSet(&flags{})
	for _, sh := range shell.CompletionShells() {
		t.Run(sh, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run([]string{"mfa-git", "completion", sh}, strings.NewReader(""), &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			script := out.String()
			for name := range commands {
				if !strings.Contains(script, name) {
					t.Errorf("the %s script does not offer the command %s", sh, name)
				}
			}
			for _, n := range append(append([]string{}, commonFlags...), allCommandFlags()...) {
				if fs.Lookup(n) == nil {
					t.Fatalf("no flag %s", n)
				}
				word := "--" + n
				if sh == "fish" {
					word = "-l " + n
				}
				if !strings.Contains(script, word) {
					t.Errorf("the %s script does not offer %s", sh, word)
				}
			}
		})
	}
}

// TestCompletionBadShell: an unknown shell is a usage error naming the
// shells there are.
func TestCompletionBadShell(t *testing.T) {
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		var out, errb bytes.Buffer
		code := run(append([]string{"mfa-git"}, args...), strings.NewReader(""), &out, &errb)
		if code != 2 || out.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out.String(), errb.String())
		}
		for _, sh := range shell.CompletionShells() {
			if !strings.Contains(errb.String(), sh) {
				t.Errorf("%q: stderr %q does not name %s", args, errb.String(), sh)
			}
		}
	}
}

func allCommandFlags() []string {
	var all []string
	for _, c := range commands {
		all = append(all, c.flags...)
	}
	return all
}
