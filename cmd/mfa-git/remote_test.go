package main

import "testing"

func TestIsRemoteHelper(t *testing.T) {
	tests := []struct {
		argv0 string
		args  []string
		want  bool
	}{
		{"git-remote-codecommit", []string{"origin", "codecommit://demo"}, true},
		{"git-remote-codecommit", []string{"codecommit://demo", "codecommit://demo"}, true},
		{"git-remote-codecommit", []string{"origin"}, true},
		{"git-remote-codecommit.exe", []string{"origin", "us-east-1://demo"}, true},
		{"GIT-REMOTE-CODECOMMIT.EXE", []string{"origin", "us-east-1://demo"}, true},
		// The credential helper line may run the same file: flags first.
		{"git-remote-codecommit", []string{"--profile", "dev", "get"}, false},
		{"git-remote-codecommit", []string{"--version"}, false},
		{"git-remote-codecommit", nil, false},
		{"git-remote-codecommit", []string{"a", "b", "c"}, false},
		{"mfa-git", []string{"origin", "codecommit://demo"}, false},
		{"git-credential-mfa-git", []string{"get"}, false},
		{"git-remote-codecommit-old", []string{"origin", "codecommit://demo"}, false},
	}
	for _, tt := range tests {
		if got := isRemoteHelper(tt.argv0, tt.args); got != tt.want {
			t.Errorf("isRemoteHelper(%q, %q) = %v, want %v", tt.argv0, tt.args, got, tt.want)
		}
	}
}
