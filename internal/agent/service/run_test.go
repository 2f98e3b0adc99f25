package service

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// recorded is what Install or Uninstall told, and what its commands
// wrote.
type recorded struct {
	said, warned, commands []string
	stdout, stderr         bytes.Buffer
}

func (r *recorded) output() Output {
	return Output{
		Say:     func(format string, args ...any) { r.said = append(r.said, fmt.Sprintf(format, args...)) },
		Warn:    func(err error) { r.warned = append(r.warned, err.Error()) },
		Command: func(argv []string) { r.commands = append(r.commands, strings.Join(argv, " ")) },
		Stdout:  &r.stdout,
		Stderr:  &r.stderr,
	}
}

// TestInstallUninstall runs Install and Uninstall with definitions whose
// commands are shell lines that log their calls, as systemctl and
// launchctl would be run.
func TestInstallUninstall(t *testing.T) {
	sh := testenv.Require(t, "sh")
	const mine = "# my own unit\n[Service]\nExecStart=/bin/true\n"
	for _, tt := range []struct {
		name           string
		install        bool
		before         string // the file at Path before; "" none
		reset, enable  string // shell lines; "" none
		disable        string
		err, hint      string   // the error, and its hint
		said, warned   []string // in order; %s is Path
		ran            string   // the calls logged, in order
		shownCommands  int
		after          string // the file afterwards; "" none; "content" the definition
		stdout, stderr string // what the commands wrote
	}{
		{name: "install", install: true, reset: "echo reset >>log; echo gone >&2; exit 5", enable: "echo enable >>log; echo enabled",
			said: []string{"writing %s:\n\n" + content, "the agent now starts at login"}, ran: "reset\nenable\n", shownCommands: 2, after: "content", stdout: "enabled\n"},
		{name: "install again replaces its own file", install: true, before: content + "# older\n", enable: "echo enable >>log",
			said: []string{"writing %s:\n\n" + content, "the agent now starts at login"}, ran: "enable\n", shownCommands: 1, after: "content"},
		{name: "install, enable fails", install: true, enable: "echo enable >>log; echo no bus >&2; exit 1",
			err: "sh -c echo enable >>log; echo no bus >&2; exit 1: exit status 1", hint: "the file is in place; enable it by hand, or remove it with: mfa-git agent uninstall",
			said: []string{"writing %s:\n\n" + content}, ran: "enable\n", shownCommands: 1, after: "content", stderr: "no bus\n"},
		{name: "install over the user's file", install: true, before: mine, enable: "echo enable >>log",
			err: "does not say it was written by mfa-git agent install; mfa-git changes only the file it wrote", after: mine},
		{name: "uninstall", before: content, disable: "echo disable >>log",
			said: []string{"removed %s"}, ran: "disable\n", shownCommands: 1},
		{name: "uninstall, disable fails: removed all the same", before: content, disable: "echo disable >>log; exit 3",
			warned: []string{"SH -c echo disable >>log; exit 3: exit status 3"}, said: []string{"removed %s"}, ran: "disable\n", shownCommands: 1},
		{name: "uninstall, nothing installed", disable: "echo disable >>log",
			said: []string{"%s is not installed; nothing to do"}},
		{name: "uninstall the user's file", before: mine, disable: "echo disable >>log",
			err: "does not say it was written by mfa-git agent install", after: mine},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir) // the shell lines log to ./log
			def := &Definition{Path: filepath.Join(dir, "units", "mfa-git-agent.service"), Content: content}
			for line, into := range map[string]*[][]string{tt.reset: &def.Reset, tt.enable: &def.Enable, tt.disable: &def.Disable} {
				if line != "" {
					*into = [][]string{{sh, "-c", line}}
				}
			}
			if tt.before != "" {
				if err := os.MkdirAll(filepath.Dir(def.Path), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(def.Path, []byte(tt.before), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			var r recorded
			var err error
			if tt.install {
				err = def.Install(context.Background(), r.output())
			} else {
				err = def.Uninstall(context.Background(), r.output())
			}
			switch {
			case tt.err == "" && err != nil:
				t.Fatal(err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error %v, want %q", err, tt.err)
			case tt.hint != "" && hint.Of(err) != tt.hint:
				t.Errorf("hint %q, want %q", hint.Of(err), tt.hint)
			}
			var said []string
			for _, s := range tt.said {
				said = append(said, strings.ReplaceAll(s, "%s", def.Path))
			}
			if fmt.Sprint(r.said) != fmt.Sprint(said) {
				t.Errorf("said %q, want %q", r.said, said)
			}
			if want := strings.ReplaceAll(fmt.Sprint(tt.warned), "SH", sh); fmt.Sprint(r.warned) != want {
				t.Errorf("warned %q, want %s", r.warned, want)
			}
			if len(r.commands) != tt.shownCommands {
				t.Errorf("showed commands %q, want %d", r.commands, tt.shownCommands)
			}
			if log, _ := os.ReadFile(filepath.Join(dir, "log")); string(log) != tt.ran {
				t.Errorf("ran %q, want %q", log, tt.ran)
			}
			if r.stdout.String() != tt.stdout || r.stderr.String() != tt.stderr {
				t.Errorf("commands wrote %q and %q, want %q and %q", r.stdout.String(), r.stderr.String(), tt.stdout, tt.stderr)
			}
			want := tt.after
			if want == "content" {
				want = content
			}
			got, err := os.ReadFile(def.Path)
			switch {
			case want == "" && err == nil:
				t.Errorf("%s is still there", def.Path)
			case want != "" && string(got) != want:
				t.Errorf("%s holds %q (%v), want %q", def.Path, got, err, want)
			}
		})
	}
}

// content is a definition's text; it has the mark install writes.
const content = "# " + installedMark + "; removed by mfa-git agent uninstall.\n[Service]\nExecStart=/usr/bin/mfa-git agent --foreground\n"
