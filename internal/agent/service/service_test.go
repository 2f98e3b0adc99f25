package service

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

func TestServiceFor(t *testing.T) {
	env := map[string]string{"MFA_GIT_KEYRING": "keyctl", "HOME": "/ignored", "XDG_CONFIG_HOME": "/home/a/.config"}
	svc, err := For(Config{Exe: "/home/a/bin/mfa git", Home: "/home/a", Getenv: func(k string) string { return env[k] }})
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

// plistValue decodes one plist value: string, integer (as its text),
// true/false, array or dict.
func plistValue(d *xml.Decoder, start xml.StartElement) (any, error) {
	switch start.Name.Local {
	case "true", "false":
		return start.Name.Local == "true", d.Skip()
	case "string", "integer", "key":
		var s string
		err := d.DecodeElement(&s, &start)
		return s, err
	case "array", "dict":
		var list []any
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, err
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				v, err := plistValue(d, tok)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			case xml.EndElement:
				if start.Name.Local == "array" {
					return list, nil
				}
				m := map[string]any{}
				for i := 0; i+1 < len(list); i += 2 {
					m[list[i].(string)] = list[i+1]
				}
				return m, nil
			}
		}
	}
	return nil, fmt.Errorf("unexpected <%s>", start.Name.Local)
}

func parsePlist(t *testing.T, content string) map[string]any {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(content))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			t.Fatal("no <dict> in the plist")
		}
		if err != nil {
			t.Fatalf("plist does not parse: %v\n%s", err, content)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "dict" {
			v, err := plistValue(d, se)
			if err != nil {
				t.Fatalf("plist does not parse: %v\n%s", err, content)
			}
			return v.(map[string]any)
		}
	}
}

func TestLaunchdAgent(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("macOS-only code: launchd paths and PATH entries follow this system's path rules (filepath), and Windows' are not macOS's")
	}
	env := map[string]string{
		"PATH":            "/opt/homebrew/bin::.:bin:/Users/a/.local/bin:/usr/bin",
		"MFA_GIT_KEYRING": "keychain",
		"AWS_CONFIG_FILE": `/Users/a/<aws> & "co"/config` + "\n",
		"HOME":            "/Users/a",
	}
	svc, err := forOS("darwin", Config{Exe: "/Users/a/bin/mfa&git", Home: "/Users/a", LogFile: "/Users/a/Library/Caches/mfa-git/agent.log", UID: 501,
		Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	p := parsePlist(t, svc.Content)
	envs, _ := p["EnvironmentVariables"].(map[string]any)
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"Label", p["Label"], "dev.mfa-git.agent"},
		{"ProgramArguments", p["ProgramArguments"], []any{"/Users/a/bin/mfa&git", "agent", "--foreground"}},
		{"ProcessType", p["ProcessType"], "Interactive"},
		{"StandardErrorPath", p["StandardErrorPath"], "/Users/a/Library/Caches/mfa-git/agent.log"},
		{"KeepAlive", p["KeepAlive"], map[string]any{"SuccessfulExit": false}},
		{"RunAtLoad", p["RunAtLoad"], true},
		{"Umask", p["Umask"], "63"},
		{"PATH (absolute entries)", envs["PATH"], "/opt/homebrew/bin:/Users/a/.local/bin:/usr/bin"},
		{"MFA_GIT_KEYRING", envs["MFA_GIT_KEYRING"], "keychain"},
		{"AWS_CONFIG_FILE", envs["AWS_CONFIG_FILE"], env["AWS_CONFIG_FILE"]},
		{"HOME (not copied)", envs["HOME"], nil},
		{"Path", svc.Path, "/Users/a/Library/LaunchAgents/dev.mfa-git.agent.plist"},
		{"Reset", svc.Reset, [][]string{{"launchctl", "bootout", "gui/501/dev.mfa-git.agent"}}},
		{"Enable", svc.Enable, [][]string{{"launchctl", "enable", "gui/501/dev.mfa-git.agent"}, {"launchctl", "bootstrap", "gui/501", svc.Path}}},
		{"Disable", svc.Disable, [][]string{{"launchctl", "bootout", "gui/501/dev.mfa-git.agent"}}},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.what, c.got, c.want)
		}
	}
	if strings.Contains(fmt.Sprint(svc.Enable, svc.Disable), "load") && !strings.Contains(fmt.Sprint(svc.Enable), "bootstrap") {
		t.Error("uses the deprecated launchctl load/unload")
	}
}

// systemdCases are values with every character systemd's unit parser
// treats specially.
var systemdCases = []struct{ in, want string }{
	{"/usr/bin/mfa-git", "/usr/bin/mfa-git"},
	{"a b", `"a b"`},
	{"50%", `"50%%"`},
	{"%h/x", `"%%h/x"`},
	{"$HOME", `"$HOME"`},
	{"a$$b", `"a$$b"`},
	{`back\slash`, `"back\\slash"`},
	{`say "hi"`, `"say \"hi\""`},
	{"it's", `"it's"`},
	{"semi;colon", `"semi;colon"`},
	{"line\nbreak", `"line\nbreak"`},
	{"tab\there", `"tab\there"`},
	{"bell\a\x7f", `"bell\x07\x7f"`},
	{"trailing\\", `"trailing\\"`},
	{"", `""`},
	{"grüße", "grüße"},
}

func TestSystemdQuote(t *testing.T) {
	for _, c := range systemdCases {
		if got := systemdQuote(c.in); got != c.want {
			t.Errorf("systemdQuote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestSystemdRefusesUnrunnablePaths(t *testing.T) {
	for _, exe := range []string{`/opt/x"y/mfa-git`, `/opt/it's/mfa-git`, `/opt/a\b/mfa-git`, "/opt/a\nb/mfa-git", "/opt/a\tb/mfa-git"} {
		_, err := forOS("linux", Config{Exe: exe, Home: "/home/a", Getenv: func(string) string { return "" }})
		if err == nil || !strings.Contains(err.Error(), "systemd cannot run") {
			t.Errorf("exe %q: err = %v, want systemd cannot run", exe, err)
		}
	}
}

// TestSystemdVerify gives the unit to systemd's own parser: the program
// path (space, %, $, ;, non-ASCII) must name the file we made, and every
// Environment= line must parse without a warning.
func TestSystemdVerify(t *testing.T) {
	analyze := testenv.Require(t, "systemd-analyze") // .ci/run installs systemd
	dir := t.TempDir()
	exe := filepath.Join(dir, "my tools 100%", "$x;grüße", "mfa-git")
	if err := os.MkdirAll(filepath.Dir(exe), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, c := range systemdCases {
		env := map[string]string{"AWS_CONFIG_FILE": c.in, "MFA_GIT_KEYRING": "keyctl", "PATH": "/usr/bin:/a b/%h/$PATH"}
		svc, err := forOS("linux", Config{Exe: exe, Home: dir, Getenv: func(k string) string { return env[k] }})
		if err != nil {
			t.Fatal(err)
		}
		unit := filepath.Join(dir, "mfa-git-agent.service")
		if err := os.WriteFile(unit, []byte(svc.Content), 0o600); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		out, err := exec.CommandContext(ctx, analyze, "verify", "--man=no", unit).CombinedOutput()
		cancel()
		if err != nil || len(out) > 0 {
			t.Errorf("AWS_CONFIG_FILE=%q: systemd-analyze verify: %v\n%s\n%s", c.in, err, out, svc.Content)
		}
	}
}
