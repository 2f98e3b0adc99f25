package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestPositionalArguments: every command refuses more positional
// arguments than its entry in the command table allows, with exit status
// 2, before it reads a file, a keyring or standard input, and shows its
// synopsis. It counts the arguments and never repeats them: someone may
// pass add their keys, or doctor a URL with a password.
func TestPositionalArguments(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"login", "extra"}, `login takes no arguments; got 1`},
		{[]string{"status", "a", "b"}, `status takes no arguments; got 2`},
		{[]string{"logout", "--all", "x"}, `logout takes no arguments; got 1`},
		{[]string{"credential-process", "x"}, `credential-process takes no arguments; got 1`},
		{[]string{"env", "--shell", "fish", "x"}, `env takes no arguments; got 1`},
		{[]string{"setup", "--undo", "x"}, `setup takes no arguments; got 1`},
		{[]string{"clean", "--dry-run", "x"}, `clean takes no arguments; got 1`},
		{[]string{"exec", "aws", "s3", "--", "aws", "s3", "ls"}, `exec takes the command to run only after --; got 2`},
		{[]string{"add", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}, `add takes at most one argument, the profile's name; got 2`},
		{[]string{"doctor", "https://alice:s3cret@git-codecommit.us-east-1.amazonaws.com/v1/repos/r", "y"}, `doctor takes at most one argument, a repository URL; got 2`},
		{[]string{"agent", "start", "now"}, `agent takes at most one argument: start, stop, status, install or uninstall; got 2`},
		{[]string{"completion", "bash", "zsh"}, `completion takes at most one argument, the shell; got 2`},
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
			for _, secret := range []string{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "s3cret"} {
				if strings.Contains(errb.String(), secret) {
					t.Errorf("stderr repeats the argument holding %q", secret)
				}
			}
			if out.Len() > 0 || stdin.Len() == 0 {
				t.Errorf("wrote %q, read stdin: %v", out.String(), stdin.Len() == 0)
			}
		})
	}
}
