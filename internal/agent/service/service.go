// Package service installs the mfa-git agent as a login-time service: a
// systemd user unit on Linux, a launchd agent on macOS. It writes the
// definition and runs the commands that enable and disable it (Install,
// Uninstall).
package service

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mfa-git/mfa-git/internal/agent"
	"github.com/mfa-git/mfa-git/internal/atomicfile"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// Definition is the login-time service definition for the agent: a systemd
// user unit on Linux, a launchd agent on macOS.
type Definition struct {
	Path    string
	Content string
	// LogFile, when set, is created 0600 before the service starts, so
	// the service manager appends to a file only its user can read.
	LogFile string
	// Reset runs before Enable; its failures are expected (nothing was
	// loaded yet) and ignored.
	Reset [][]string
	// Enable and Disable are the commands that start it now and at every
	// login, and stop it for good.
	Enable, Disable [][]string
}

// Config is what a service definition is made from.
type Config struct {
	Exe     string // the mfa-git binary, an absolute path
	Home    string // the user's home folder
	LogFile string // where a launchd agent's stderr goes
	UID     int    // the user, for launchd's gui/UID domain
	// Getenv reads the installing user's environment: the settings in
	// envToKeep and PATH are copied into the service, which does not
	// start from the user's shell.
	Getenv func(string) string
}

// launchdLabel names the macOS agent.
const launchdLabel = "dev.mfa-git.agent"

// envToKeep are the settings a service must carry, because it does not
// start from the user's shell. PATH is kept too (absolute entries only),
// so token commands installed by Homebrew, pipx or the like are found.
var envToKeep = []string{"MFA_GIT_KEYRING", "MFA_GIT_KEYRING_SERVICE", "MFA_GIT_AGENT_SOCK", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"}

// For returns the definition for this system, or an error where
// there is none or the values cannot be written into one.
func For(cfg Config) (*Definition, error) {
	return forOS(runtime.GOOS, cfg)
}

func forOS(goos string, cfg Config) (*Definition, error) {
	// The environment the service carries, sorted by name.
	var env [][2]string
	for _, k := range envToKeep {
		if v := cfg.Getenv(k); v != "" {
			env = append(env, [2]string{k, v})
		}
	}
	dirs := slices.DeleteFunc(filepath.SplitList(cfg.Getenv("PATH")), func(d string) bool {
		return !filepath.IsAbs(d) // "" and "." would mean the service's own folder
	})
	if len(dirs) > 0 {
		env = append(env, [2]string{"PATH", strings.Join(dirs, string(filepath.ListSeparator))})
	}
	slices.SortFunc(env, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	switch goos {
	case "linux":
		return systemdService(cfg, env)
	case "darwin":
		return launchdService(cfg, env), nil
	}
	return nil, agent.ErrUnsupported
}

func systemdService(cfg Config, env [][2]string) (*Definition, error) {
	if !systemdExecutable(cfg.Exe) {
		return nil, fmt.Errorf("systemd cannot run %q: its path has quotes, backslashes or control characters", cfg.Exe)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Written by mfa-git agent install; removed by mfa-git agent uninstall.\n[Unit]\nDescription=mfa-git session agent\n\n[Service]\nExecStart=%s agent --foreground\nRestart=on-failure\nUMask=0077\nNoNewPrivileges=yes\n", systemdQuote(cfg.Exe))
	for _, kv := range env {
		if !utf8.ValidString(kv[1]) {
			return nil, fmt.Errorf("%s is not valid UTF-8, which systemd requires of a unit's environment", kv[0])
		}
		fmt.Fprintf(&b, "Environment=%s\n", systemdQuote(kv[0]+"="+kv[1]))
	}
	b.WriteString("\n[Install]\nWantedBy=default.target\n")
	config := cfg.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(config) {
		config = filepath.Join(cfg.Home, ".config")
	}
	return &Definition{
		Path:    filepath.Join(config, "systemd", "user", "mfa-git-agent.service"),
		Content: b.String(),
		Enable:  [][]string{{"systemctl", "--user", "daemon-reload"}, {"systemctl", "--user", "enable", "--now", "mfa-git-agent.service"}},
		Disable: [][]string{{"systemctl", "--user", "disable", "--now", "mfa-git-agent.service"}, {"systemctl", "--user", "daemon-reload"}},
	}, nil
}

// systemdExecutable reports whether systemd accepts path as ExecStart's
// program: it refuses quotes, backslashes and control characters there
// ("Executable name contains special characters").
func systemdExecutable(path string) bool {
	return utf8.ValidString(path) && !strings.ContainsFunc(path, func(r rune) bool {
		return r < ' ' || r == 0x7f || r == '"' || r == '\'' || r == '\\'
	})
}

// systemdQuote writes s as one word of ExecStart= or Environment=, to be
// read back exactly (systemd.syntax(7), systemd.unit(5) "Specifiers"):
// double-quoted, with \ and " escaped, % doubled (specifiers), and
// control characters as C escapes. "$" is left alone: Environment= does
// not expand it, and ExecStart= does not expand it in the program path,
// the only value we pass there.
func systemdQuote(s string) string {
	plain := !strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r == 0x7f || strings.ContainsRune(`"'\%;$`, r)
	})
	if plain && s != "" {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '\\' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '%':
			b.WriteString("%%")
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < ' ' || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func launchdService(cfg Config, env [][2]string) *Definition {
	path := filepath.Join(cfg.Home, "Library", "LaunchAgents", launchdLabel+".plist")
	var b strings.Builder
	// KeepAlive restarts it only after a failure: an agent that finds
	// another one already serving exits 0 and stays stopped. Interactive:
	// a person waits on it; launchd must not throttle it like a
	// background job.
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Written by mfa-git agent install; removed by mfa-git agent uninstall. -->
<plist version="1.0">
<dict>
	<key>Label</key><string>%s</string>
	<key>ProgramArguments</key>
	<array><string>%s</string><string>agent</string><string>--foreground</string></array>
	<key>RunAtLoad</key><true/>
	<key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
	<key>ProcessType</key><string>Interactive</string>
	<key>Umask</key><integer>63</integer>
`, launchdLabel, xmlText(cfg.Exe))
	if cfg.LogFile != "" {
		fmt.Fprintf(&b, "\t<key>StandardErrorPath</key><string>%s</string>\n", xmlText(cfg.LogFile))
	}
	if len(env) > 0 {
		b.WriteString("\t<key>EnvironmentVariables</key>\n\t<dict>\n")
		for _, kv := range env {
			fmt.Fprintf(&b, "\t\t<key>%s</key><string>%s</string>\n", xmlText(kv[0]), xmlText(kv[1]))
		}
		b.WriteString("\t</dict>\n")
	}
	b.WriteString("</dict>\n</plist>\n")
	domain := "gui/" + strconv.Itoa(cfg.UID)
	target := domain + "/" + launchdLabel
	return &Definition{
		Path:    path,
		Content: b.String(),
		LogFile: cfg.LogFile,
		// bootout stops an agent loaded from an older file; enable clears
		// a "disabled" override, without which bootstrap fails.
		Reset:   [][]string{{"launchctl", "bootout", target}},
		Enable:  [][]string{{"launchctl", "enable", target}, {"launchctl", "bootstrap", domain, path}},
		Disable: [][]string{{"launchctl", "bootout", target}},
	}
}

// xmlText escapes s for XML character data; characters XML cannot hold
// become U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// installedMark is in every service file mfa-git agent install writes;
// install replaces, and uninstall removes, only a file that has it.
const installedMark = "Written by mfa-git agent install"

// foreign says that the file at path is not one mfa-git agent install
// wrote, so mfa-git neither replaces nor removes it.
func foreign(path, reason string) error {
	return hint.New(nil, fmt.Sprintf("%s %s; mfa-git changes only the file it wrote", path, reason), "the file is yours: move it away (or remove it) yourself, then run the command again")
}

// Installed reports whether a file is at the service's path. It returns an
// error saying so, with a hint, when that file is not one mfa-git agent
// install wrote: a symlink, not a regular file, or without installedMark.
func (s *Definition) Installed() (bool, error) {
	fi, err := os.Lstat(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !fi.Mode().IsRegular() {
		reason := "is not a regular file"
		if fi.Mode()&fs.ModeSymlink != 0 {
			reason = "is a symlink"
		}
		return true, foreign(s.Path, reason)
	}
	f, err := userdir.OpenFile(s.Path, os.O_RDONLY)
	if err != nil {
		return true, err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if !strings.Contains(string(head[:n]), installedMark) {
		return true, foreign(s.Path, "does not say it was written by mfa-git agent install")
	}
	return true, nil
}

// WriteFile writes the definition, mode 0600, in a 0700 folder if it
// creates one, and creates the log file 0600 in a private folder. It
// replaces only a file mfa-git agent install wrote (see Installed), never
// through a symlink; the log file is opened the same way.
func (s *Definition) WriteFile() error {
	if _, err := s.Installed(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		return err
	}
	if s.LogFile != "" {
		if err := userdir.Private(filepath.Dir(s.LogFile)); err != nil {
			return fmt.Errorf("log folder: %w", err)
		}
		f, err := userdir.OpenFile(s.LogFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND)
		if err != nil {
			return fmt.Errorf("log file: %w", err)
		}
		f.Close()
	}
	return atomicfile.Write(s.Path, []byte(s.Content), 0o600)
}
