package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestPositionalArguments: every command refuses more positional
// arguments than its entry in the command table allows, with exit status
// 2, before it reads a file, a keyring or standard input, and shows its
// synopsis.
func TestPositionalArguments(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"login", "extra"}, `login takes no arguments, got "extra"`},
		{[]string{"status", "a", "b"}, `status takes no arguments, got "a b"`},
		{[]string{"logout", "--all", "x"}, `logout takes no arguments, got "x"`},
		{[]string{"credential-process", "x"}, `credential-process takes no arguments, got "x"`},
		{[]string{"env", "--shell", "fish", "x"}, `env takes no arguments, got "x"`},
		{[]string{"setup", "--undo", "x"}, `setup takes no arguments, got "x"`},
		{[]string{"clean", "--dry-run", "x"}, `clean takes no arguments, got "x"`},
		{[]string{"exec", "aws", "--", "aws", "s3", "ls"}, `exec takes no arguments, got "aws"`},
		{[]string{"add", "a", "b"}, `add takes at most one argument, got "a b"`},
		{[]string{"doctor", "https://x", "y"}, `doctor takes at most one argument, got "https://x y"`},
		{[]string{"agent", "start", "now"}, `agent takes at most one argument, got "start now"`},
		{[]string{"completion", "bash", "zsh"}, `completion takes at most one argument, got "bash zsh"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			stdin := strings.NewReader("protocol=https\nhost=x\n\n")
			code := run(append([]string{"mfa-git"}, tt.args...), stdin, &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), "mfa-git: error: "+tt.want+"\n") {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, errb.String(), tt.want)
			}
			synopsis, _, _ := strings.Cut(commands[tt.args[0]].usage, "\n")
			if hint := "mfa-git: hint: usage: mfa-git " + synopsis + "\n"; !strings.HasSuffix(errb.String(), hint) {
				t.Errorf("stderr %q does not end in %q", errb.String(), hint)
			}
			if out.Len() > 0 || stdin.Len() == 0 {
				t.Errorf("wrote %q, read stdin: %v", out.String(), stdin.Len() == 0)
			}
		})
	}
}
