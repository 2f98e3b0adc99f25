package prompt

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

func TestWindowsArgv(t *testing.T) {
	files := map[string]string{
		`C:\vscode\askpass.sh`:  "#!/bin/sh\nELECTRON_RUN_AS_NODE=1 \"$VSCODE_GIT_ASKPASS_NODE\" ...\n",
		`C:\tools\opts.sh`:      "#!/bin/bash -e\necho 123456\n",
		`C:\tools\env.sh`:       "#!/usr/bin/env sh\necho 123456\n",
		`C:\tools\envopt.sh`:    "#!/usr/bin/env -S bash\necho 123456\n",
		`C:\tools\crlf.sh`:      "#!/bin/sh\r\necho 123456\r\n",
		`C:\tools\backslash.py`: "#!C:\\Python\\python\nprint('123456')\n",
		`C:\tools\plain.bat`:    "@echo 123456\r\n",
		`C:\tools\noline.sh`:    "#!/bin/sh",
		`C:\tools\short`:        "#!x\n",
		`C:\tools\noslash.sh`:   "#!sh\necho\n",
		`C:\tools\nothere.sh`:   "#!/bin/zsh\necho\n",
		`C:\tools\real.EXE`:     "#!/bin/sh\nMZ pretending\n",
	}
	onPath := map[string]string{"sh": `C:\Git\usr\bin\sh.exe`, "bash": `C:\Git\usr\bin\bash.exe`, "python": `C:\Python\python.exe`}
	head := func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}
	lookPath := func(name string) (string, error) {
		if p, ok := onPath[name]; ok {
			return p, nil
		}
		return "", errors.New(name + ".exe not found on PATH")
	}
	for _, tc := range []struct {
		program string
		want    []string
		err     string
	}{
		{`C:\vscode\askpass.sh`, []string{`C:\Git\usr\bin\sh.exe`, `C:\vscode\askpass.sh`}, ""},
		{`C:\tools\opts.sh`, []string{`C:\Git\usr\bin\bash.exe`, `C:\tools\opts.sh`}, ""},
		{`C:\tools\env.sh`, []string{`C:\Git\usr\bin\sh.exe`, `C:\tools\env.sh`}, ""},
		{`C:\tools\envopt.sh`, []string{`C:\Git\usr\bin\bash.exe`, `C:\tools\envopt.sh`}, ""},
		{`C:\tools\crlf.sh`, []string{`C:\Git\usr\bin\sh.exe`, `C:\tools\crlf.sh`}, ""},
		{`C:\tools\backslash.py`, []string{`C:\Python\python.exe`, `C:\tools\backslash.py`}, ""},
		{`C:\tools\plain.bat`, []string{`C:\tools\plain.bat`}, ""},
		{`C:\tools\noline.sh`, []string{`C:\tools\noline.sh`}, ""},
		{`C:\tools\short`, []string{`C:\tools\short`}, ""},
		{`C:\tools\noslash.sh`, []string{`C:\tools\noslash.sh`}, ""},
		{`C:\tools\real.EXE`, []string{`C:\tools\real.EXE`}, ""},
		{`C:\tools\missing.sh`, []string{`C:\tools\missing.sh`}, ""},
		{`C:\tools\nothere.sh`, nil, "naming zsh, which is not on PATH"},
	} {
		got, err := windowsArgv(tc.program, head, lookPath)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("windowsArgv(%s) = %q, %v; want error %q", tc.program, got, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("windowsArgv(%s) = %q, %v; want %q", tc.program, got, err, tc.want)
		}
	}
}

func TestReadHead(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, "long")
	os.WriteFile(long, []byte("#!/bin/sh\n"+strings.Repeat("x", 1000)), 0o600)
	short := filepath.Join(dir, "short")
	os.WriteFile(short, []byte("#!/bin/sh\n"), 0o600)
	if b, err := readHead(long); err != nil || len(b) != scriptHeadSize {
		t.Errorf("readHead(long) = %d bytes, %v", len(b), err)
	}
	if b, err := readHead(short); err != nil || string(b) != "#!/bin/sh\n" {
		t.Errorf("readHead(short) = %q, %v", b, err)
	}
	if _, err := readHead(filepath.Join(dir, "none")); err == nil {
		t.Error("readHead of a missing file succeeded")
	}
}

// stubPrompter answers with a code or an error and counts its calls.
type stubPrompter struct {
	code  string
	err   error
	calls *int
}

func (f stubPrompter) Code(context.Context, *profile.Profile) (string, error) {
	*f.calls++
	return f.code, f.err
}

func TestAskpassFallsBackToTerminal(t *testing.T) {
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o700); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fails := script("fails", "exit 1")
	answers := script("answers", "echo 654321")
	slow := script("slow", "exec sleep 5")
	p := &profile.Profile{Name: "dev", MFASerial: "arn:aws:iam::123456789012:mfa/dev"}
	for _, tc := range []struct {
		name      string
		program   string
		fallback  stubPrompter
		want      string
		err       string
		fallbacks int
	}{
		{"cancelled, the terminal answers", fails, stubPrompter{code: "123456"}, "123456", "", 1},
		{"cannot run, the terminal answers", filepath.Join(dir, "missing"), stubPrompter{code: "123456"}, "123456", "", 1},
		{"cancelled, no terminal", fails, stubPrompter{err: hint.New(ErrNoPrompt, "there is no terminal to ask on", "")}, "", "was cancelled", 1},
		{"cancelled, the terminal fails", fails, stubPrompter{err: errors.New("read MFA code from terminal: broken")}, "", "broken", 1},
		{"askpass answers", answers, stubPrompter{code: "123456"}, "654321", "", 0},
		{"askpass times out: no second prompt", slow, stubPrompter{code: "123456"}, "", "in time", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if runtime.GOOS == "windows" && tc.program != filepath.Join(dir, "missing") {
				// Windows runs a #! script through sh.exe from PATH.
				testenv.Require(t, "sh")
			}
			calls := 0
			tc.fallback.calls = &calls
			// Only the slow program meets the deadline: the others get a
			// generous one, so a busy machine cannot time them out.
			timeout := 30 * time.Second
			if tc.program == slow {
				timeout = 300 * time.Millisecond
			}
			got, err := askpass{program: tc.program, fallback: tc.fallback, timeout: timeout}.Code(context.Background(), p)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("got %q, %v; want error %q", got, err, tc.err)
				}
			} else if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
			if calls != tc.fallbacks {
				t.Errorf("terminal asked %d times, want %d", calls, tc.fallbacks)
			}
		})
	}
}

func TestOsascriptArgv(t *testing.T) {
	for text, want := range map[string]string{
		`plain`:            `display dialog "plain" default answer "" with hidden answer with title "mfa-git"`,
		`say "hi"`:         `display dialog "say \"hi\"" default answer "" with hidden answer with title "mfa-git"`,
		`dom\user`:         `display dialog "dom\\user" default answer "" with hidden answer with title "mfa-git"`,
		`end\`:             `display dialog "end\\" default answer "" with hidden answer with title "mfa-git"`,
		`\" & (do shell)"`: `display dialog "\\\" & (do shell)\"" default answer "" with hidden answer with title "mfa-git"`,
	} {
		argv := osascriptArgv(text)
		if len(argv) != 5 || argv[2] != want {
			t.Errorf("osascriptArgv(%s) = %q, want script %s", text, argv, want)
		}
	}
}
