package agent

import (
	"runtime"
	"strings"
	"testing"
)

func TestServiceFor(t *testing.T) {
	env := map[string]string{"MFA_GIT_KEYRING": "keyctl", "HOME": "/ignored", "XDG_CONFIG_HOME": "/home/a/.config"}
	svc, err := ServiceFor("/home/a/bin/mfa git", "/home/a", func(k string) string { return env[k] })
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		if err == nil {
			t.Fatal("a service on a system without one")
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS == "linux" {
		for _, want := range []string{`ExecStart="/home/a/bin/mfa git" agent --foreground`, "Environment=MFA_GIT_KEYRING=keyctl", "WantedBy=default.target", "UMask=0077"} {
			if !strings.Contains(svc.Content, want) {
				t.Errorf("unit lacks %q:\n%s", want, svc.Content)
			}
		}
		if svc.Path != "/home/a/.config/systemd/user/mfa-git-agent.service" {
			t.Errorf("path %s", svc.Path)
		}
		if strings.Contains(svc.Content, "HOME") {
			t.Error("unrelated environment copied into the unit")
		}
	}
}

func TestSystemdQuote(t *testing.T) {
	for in, want := range map[string]string{"/usr/bin/mfa-git": "/usr/bin/mfa-git", "a b": `"a b"`, `50%$x"`: `"50%%$$x\""`} {
		if got := systemdQuote(in); got != want {
			t.Errorf("systemdQuote(%q) = %q, want %q", in, got, want)
		}
	}
}
