package keystore

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func isCodeCommit(h string) bool {
	return strings.HasPrefix(h, "git-codecommit.") && strings.HasSuffix(h, ".amazonaws.com")
}

// A fake security tool, as on macOS: two stored entries for a CodeCommit
// host, one for github.com. It records every call.
const fakeSecurity = `#!/bin/sh
d="$(dirname "$0")"
echo "$*" >> "$d/calls"
case "$1" in
dump-keychain)
	printf '    "srvr"<blob>="github.com"\n'
	printf '    "srvr"<blob>="git-codecommit.us-east-1.amazonaws.com"\n'
	printf '    "srvr"<blob>="git-codecommit.us-east-1.amazonaws.com"\n' ;;
find-internet-password)
	n=$(cat "$d/count-$3" 2>/dev/null || echo 0); [ "$n" -gt 0 ] ;;
delete-internet-password)
	n=$(cat "$d/count-$3"); echo $((n-1)) > "$d/count-$3" ;;
esac
`

func TestCleanMacKeychain(t *testing.T) {
	dir := t.TempDir()
	security := filepath.Join(dir, "security")
	os.WriteFile(security, []byte(fakeSecurity), 0o755)
	os.WriteFile(filepath.Join(dir, "count-git-codecommit.us-east-1.amazonaws.com"), []byte("2\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "count-github.com"), []byte("1\n"), 0o600)

	removed, err := CleanMacKeychain(security, isCodeCommit, true)
	if err != nil || len(removed) != 1 {
		t.Fatalf("dry run: %q, %v", removed, err)
	}
	removed, err = CleanMacKeychain(security, isCodeCommit, false)
	if err != nil || len(removed) != 2 {
		t.Fatalf("removed %q, %v; want the two CodeCommit entries", removed, err)
	}
	calls, _ := os.ReadFile(filepath.Join(dir, "calls"))
	if strings.Contains(string(calls), "github.com") {
		t.Fatalf("touched github.com:\n%s", calls)
	}
	if strings.Count(string(calls), "delete-internet-password -s git-codecommit.us-east-1.amazonaws.com") != 2 {
		t.Fatalf("calls:\n%s", calls)
	}
	if strings.Contains(string(calls), "-w") || strings.Contains(string(calls), "dump-keychain -d") {
		t.Fatal("asked security for secrets")
	}
}

func TestGitTargetHost(t *testing.T) {
	for target, want := range map[string]string{
		"git:https://git-codecommit.us-east-1.amazonaws.com": "git-codecommit.us-east-1.amazonaws.com",
		"git:https://github.com":                             "github.com",
		"mfa-git:session/base":                               "",
		"git:http://insecure.example":                        "",
	} {
		if got := gitTargetHost(target); got != want {
			t.Errorf("gitTargetHost(%q) = %q, want %q", target, got, want)
		}
	}
}

// git's libsecret helper items in a real Secret Service: only the
// CodeCommit one is removed.
func TestCleanLibsecret(t *testing.T) {
	requireSecretService(t)
	tool, err := exec.LookPath("secret-tool")
	if err != nil {
		t.Skip("secret-tool is not installed")
	}
	store := func(server, secret string) {
		cmd := exec.Command(tool, "store", "--label=Git: https://"+server+"/", "xdg:schema", "org.git.Password", "protocol", "https", "server", server, "user", "u-"+server)
		cmd.Stdin = strings.NewReader(secret)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("secret-tool store: %v %s", err, out)
		}
	}
	lookup := func(server string) bool {
		return exec.Command(tool, "lookup", "xdg:schema", "org.git.Password", "server", server).Run() == nil
	}
	cc, gh := "git-codecommit.eu-west-3.amazonaws.com", "github-test-"+t.Name()+".example"
	store(cc, "old-password")
	store(gh, "keep-me")
	defer exec.Command(tool, "clear", "xdg:schema", "org.git.Password", "server", gh).Run()
	removed, err := CleanLibsecret(isCodeCommit, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || !strings.Contains(removed[0], cc) || strings.Contains(removed[0], "old-password") {
		t.Fatalf("removed %q", removed)
	}
	if lookup(cc) || !lookup(gh) {
		t.Fatalf("after clean: codecommit present %v, github present %v", lookup(cc), lookup(gh))
	}
}
