package gitcred

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
)

// HostPatterns are git credential URL patterns covering every CodeCommit
// host form: in a pattern "*" matches exactly one host label.
var HostPatterns = []string{
	"https://git-codecommit.*.amazonaws.com",
	"https://git-codecommit-fips.*.amazonaws.com",
	"https://git-codecommit.*.amazonaws.com.cn",
	"https://*.git-codecommit.*.vpce.amazonaws.com",
	"https://*.git-codecommit-fips.*.vpce.amazonaws.com",
}

// GitConfig edits one git configuration file through git itself.
type GitConfig struct {
	// Scope is "global", "system" or "local".
	Scope string
	// Dir is the repository for the local scope.
	Dir string
	// Git is the git executable; "git" when empty.
	Git string
}

func (g GitConfig) run(args ...string) (string, error) {
	git := g.Git
	if git == "" {
		git = "git"
	}
	cmd := exec.Command(git, append([]string{"config", "--" + g.Scope}, args...)...)
	cmd.Dir = g.Dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		var ee *exec.ExitError
		// Exit 1 means "no such key" for the read commands.
		if errors.As(err, &ee) && ee.ExitCode() == 1 && errb.Len() == 0 {
			return "", errNoKey
		}
		return "", fmt.Errorf("git config --%s %s: %v: %s", g.Scope, strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

var errNoKey = errors.New("no such key")

func (g GitConfig) helpers(pattern string) ([]string, error) {
	out, err := g.run("--get-all", "credential."+pattern+".helper")
	if errors.Is(err, errNoKey) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(out, "\n"), "\n"), nil
}

// keys lists the lowercased key names set in pattern's section.
func (g GitConfig) keys(pattern string) ([]string, error) {
	out, err := g.run("--name-only", "--get-regexp", "^credential\\."+regexp.QuoteMeta(strings.ToLower(pattern))+"\\.")
	if errors.Is(err, errNoKey) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" {
			keys = append(keys, strings.ToLower(l[strings.LastIndexByte(l, '.')+1:]))
		}
	}
	return keys, nil
}

// Entry is a credential URL pattern and the helper git runs for it.
type Entry struct{ Pattern, Helper string }

// Entries returns an Entry with helper for every CodeCommit host pattern.
func Entries(helper string) []Entry {
	var es []Entry
	for _, p := range HostPatterns {
		es = append(es, Entry{p, helper})
	}
	return es
}

// Configure makes git use each entry's helper, and only it, for its
// pattern: an empty helper first (which clears helpers that earlier
// config files added, such as osxkeychain or manager), then the helper,
// and useHttpPath. Entries already set up this way are left alone. It
// returns one line per change.
func (g GitConfig) Configure(entries []Entry) ([]string, error) {
	var changes []string
	for _, e := range entries {
		pat := e.Pattern
		have, err := g.helpers(pat)
		if err != nil {
			return changes, err
		}
		path, err := g.run("--get", "credential."+pat+".useHttpPath")
		if err != nil && !errors.Is(err, errNoKey) {
			return changes, err
		}
		if len(have) == 2 && have[0] == "" && have[1] == e.Helper && strings.TrimSpace(path) == "true" {
			continue
		}
		if len(have) > 0 {
			if _, err := g.run("--unset-all", "credential."+pat+".helper"); err != nil {
				return changes, err
			}
			if !isOurs(have) {
				changes = append(changes, fmt.Sprintf("replaced helpers %q for %s", have, pat))
			}
		}
		for _, args := range [][]string{
			{"--add", "credential." + pat + ".helper", ""},
			{"--add", "credential." + pat + ".helper", e.Helper},
			{"credential." + pat + ".useHttpPath", "true"},
		} {
			if _, err := g.run(args...); err != nil {
				return changes, err
			}
		}
		changes = append(changes, fmt.Sprintf("credential.%s: helper = (reset), helper = %s, useHttpPath = true", pat, e.Helper))
	}
	return changes, nil
}

// isOurs reports whether a section's helpers are the pair Configure writes.
func isOurs(helpers []string) bool {
	return len(helpers) == 2 && helpers[0] == "" && (helpers[1] == "mfa-git" || strings.HasPrefix(helpers[1], "mfa-git "))
}

// Unconfigure removes what Configure added, in every credential section
// of the file that holds the pair it writes. A section holding nothing
// else is removed whole, so the file is as it was before.
func (g GitConfig) Unconfigure() ([]string, error) {
	out, err := g.run("--name-only", "--get-regexp", `^credential\..+\.helper$`)
	if err != nil && !errors.Is(err, errNoKey) {
		return nil, err
	}
	seen := map[string]bool{}
	var changes []string
	for _, name := range strings.Split(strings.TrimSpace(out), "\n") {
		if name == "" {
			continue
		}
		pat := strings.TrimSuffix(strings.TrimPrefix(name, "credential."), ".helper")
		if seen[pat] {
			continue
		}
		seen[pat] = true
		have, err := g.helpers(pat)
		if err != nil {
			return changes, err
		}
		if !isOurs(have) {
			continue
		}
		keys, err := g.keys(pat)
		if err != nil {
			return changes, err
		}
		only := true
		for _, k := range keys {
			if k != "helper" && k != "usehttppath" {
				only = false
			}
		}
		if only {
			if _, err := g.run("--remove-section", "credential."+pat); err != nil {
				return changes, err
			}
		} else {
			for _, k := range []string{"helper", "useHttpPath"} {
				if _, err := g.run("--unset-all", "credential."+pat+"."+k); err != nil && !errors.Is(err, errNoKey) {
					return changes, err
				}
			}
		}
		changes = append(changes, "removed the mfa-git helper for "+pat)
	}
	return changes, nil
}
