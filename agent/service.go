package agent

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Service is the login-time service definition for the agent: a systemd
// user unit on Linux, a launchd agent on macOS.
type Service struct {
	Path    string
	Content string
	// Enable and Disable are the commands that start it now and at every
	// login, and stop it for good.
	Enable, Disable [][]string
}

// envToKeep are the settings a service must carry, because it does not
// start from the user's shell.
var envToKeep = []string{"MFA_GIT_KEYRING", "MFA_GIT_KEYRING_SERVICE", "MFA_GIT_AGENT_SOCK", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"}

// ServiceFor returns the definition for this system, running exe, or an
// error where there is none.
func ServiceFor(exe, home string, getenv func(string) string) (*Service, error) {
	env := map[string]string{}
	for _, k := range envToKeep {
		if v := getenv(k); v != "" {
			env[k] = v
		}
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	switch runtime.GOOS {
	case "linux":
		var b strings.Builder
		fmt.Fprintf(&b, "# Written by mfa-git agent install; removed by mfa-git agent uninstall.\n[Unit]\nDescription=mfa-git session agent\n\n[Service]\nExecStart=%s agent --foreground\nRestart=on-failure\nUMask=0077\nNoNewPrivileges=yes\n", systemdQuote(exe))
		for _, k := range keys {
			fmt.Fprintf(&b, "Environment=%s\n", systemdQuote(k+"="+env[k]))
		}
		b.WriteString("\n[Install]\nWantedBy=default.target\n")
		config := getenv("XDG_CONFIG_HOME")
		if config == "" {
			config = filepath.Join(home, ".config")
		}
		return &Service{
			Path:    filepath.Join(config, "systemd", "user", "mfa-git-agent.service"),
			Content: b.String(),
			Enable:  [][]string{{"systemctl", "--user", "daemon-reload"}, {"systemctl", "--user", "enable", "--now", "mfa-git-agent.service"}},
			Disable: [][]string{{"systemctl", "--user", "disable", "--now", "mfa-git-agent.service"}, {"systemctl", "--user", "daemon-reload"}},
		}, nil
	case "darwin":
		path := filepath.Join(home, "Library", "LaunchAgents", "dev.mfa-git.agent.plist")
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Written by mfa-git agent install; removed by mfa-git agent uninstall. -->
<plist version="1.0">
<dict>
	<key>Label</key><string>dev.mfa-git.agent</string>
	<key>ProgramArguments</key>
	<array><string>%s</string><string>agent</string><string>--foreground</string></array>
	<key>RunAtLoad</key><true/>
	<key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
	<key>Umask</key><integer>63</integer>
`, xmlText(exe))
		if len(keys) > 0 {
			b.WriteString("\t<key>EnvironmentVariables</key>\n\t<dict>\n")
			for _, k := range keys {
				fmt.Fprintf(&b, "\t\t<key>%s</key><string>%s</string>\n", xmlText(k), xmlText(env[k]))
			}
			b.WriteString("\t</dict>\n")
		}
		b.WriteString("</dict>\n</plist>\n")
		return &Service{
			Path:    path,
			Content: b.String(),
			Enable:  [][]string{{"launchctl", "load", "-w", path}},
			Disable: [][]string{{"launchctl", "unload", "-w", path}},
		}, nil
	}
	return nil, ErrUnsupported
}

// systemdQuote quotes a value for a unit file's ExecStart/Environment.
func systemdQuote(s string) string {
	if !strings.ContainsAny(s, " \t\"\\'$%") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `$$`, `%`, `%%`)
	return `"` + r.Replace(s) + `"`
}

func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// WriteFile writes the definition, mode 0600, in a 0700 folder if it
// creates one.
func (s *Service) WriteFile() error {
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(s.Path, []byte(s.Content), 0o600)
}
