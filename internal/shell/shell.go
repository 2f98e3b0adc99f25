// Package shell writes text for the shells mfa-git prints for: a value
// quoted as one literal word, the line that exports a variable (mfa-git
// env --shell), and the completion scripts (mfa-git completion), which it
// builds from a Spec of the command line that cmd describes.
package shell

import (
	"fmt"
	"sort"
	"strings"
)

// Sh quotes s as one literal word of a POSIX shell.
func Sh(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// Fish quotes s as one literal word of fish.
func Fish(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

// PowerShell quotes s as one literal word of PowerShell.
func PowerShell(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func shExport(k, v string) string { return "export " + k + "=" + Sh(v) }

func psExport(k, v string) string { return "$env:" + k + " = " + PowerShell(v) }

// exportSyntaxes is every shell Export knows, in the order ExportShells
// names them, with the line that sets a variable there.
var exportSyntaxes = []struct {
	name string
	line func(k, v string) string
}{
	{"sh", shExport},
	{"bash", shExport},
	{"zsh", shExport},
	{"fish", func(k, v string) string { return "set -gx " + k + " " + Fish(v) + ";" }},
	{"powershell", psExport},
	{"pwsh", psExport},
}

// ExportShells lists the shells Export knows.
func ExportShells() []string {
	var names []string
	for _, s := range exportSyntaxes {
		names = append(names, s.name)
	}
	return names
}

// Export returns the function that writes the line setting variable k to
// v in shell, and whether Export knows that shell.
func Export(shell string) (line func(k, v string) string, ok bool) {
	for _, s := range exportSyntaxes {
		if s.name == shell {
			return s.line, true
		}
	}
	return nil, false
}

// CompletionShells lists the shells Completion writes scripts for.
func CompletionShells() []string { return []string{"bash", "zsh", "fish", "powershell"} }

// ProfilesWord is the argument with which the completion scripts ask
// mfa-git for the profile names in the user's AWS files
// ("mfa-git completion profiles"); it is never offered as a completion.
const ProfilesWord = "profiles"

// Spec is what the completion scripts complete: the command line as the
// command table and the flag set describe it.
type Spec struct {
	Commands []string            // sorted
	Short    map[string]string   // per command, its one-line description
	Common   []Flag              // the flags every command takes
	Own      map[string][]Flag   // per command, beyond Common
	Words    map[string][]string // per command, words after it
}

// Flag is one flag as completion sees it.
type Flag struct {
	Name, Short string
	// Usage is the flag's help up to its first " (" or ": ", which fits a
	// completion menu.
	Usage    string
	Value    bool     // takes a value
	Choices  []string // the values it takes, when they are a fixed list
	Profiles bool     // its values are profile names
	Files    bool     // its values are file names
}

// MenuText shortens a flag's help to what fits a completion menu.
func MenuText(s string) string {
	for _, sep := range []string{" (", ": "} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// Completion returns the completion script for shell.
func Completion(shell string, s Spec) (string, error) {
	gen := map[string]func(Spec) string{"bash": bash, "zsh": zsh, "fish": fish, "powershell": powershell}[shell]
	if gen == nil {
		return "", fmt.Errorf("no completion for shell %q: mfa-git writes them for %s", shell, strings.Join(CompletionShells(), ", "))
	}
	for c := range s.Own {
		sort.Slice(s.Own[c], func(i, j int) bool { return s.Own[c][i].Name < s.Own[c][j].Name })
	}
	return gen(s), nil
}

// valued lists every spelling of the flags that take a value.
func (s Spec) valued() []string {
	var out []string
	for _, f := range s.allFlags() {
		if f.Value {
			out = append(out, "--"+f.Name)
			if f.Short != "" {
				out = append(out, "-"+f.Short)
			}
		}
	}
	return out
}

// allFlags is every flag once, common ones first.
func (s Spec) allFlags() []Flag {
	seen := map[string]bool{}
	var out []Flag
	for _, f := range s.Common {
		seen[f.Name] = true
		out = append(out, f)
	}
	for _, c := range s.Commands {
		for _, f := range s.Own[c] {
			if !seen[f.Name] {
				seen[f.Name] = true
				out = append(out, f)
			}
		}
	}
	return out
}

func flagWords(fs []Flag) string {
	var w []string
	for _, f := range fs {
		w = append(w, "--"+f.Name)
	}
	return strings.Join(w, " ")
}
