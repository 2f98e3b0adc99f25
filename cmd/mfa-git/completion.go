package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/profile"
	"github.com/mfa-git/mfa-git/prompt"
)

// completionShells are the shells "mfa-git completion" writes scripts for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

// profilesWord is the argument with which the completion scripts ask
// mfa-git for the profile names in the user's AWS files. It is not
// offered as a completion itself.
const profilesWord = "profiles"

func (c *cli) completion(_ context.Context, args []string) error {
	if len(args) == 0 {
		return usage("completion needs one shell: "+strings.Join(completionShells, ", "), "run: mfa-git completion bash")
	}
	if args[0] == profilesWord {
		files, err := profile.DefaultFiles()
		if err != nil {
			return nil // nothing to complete without a home folder
		}
		names := profile.Names(files)
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintln(c.stdout, n)
		}
		return nil
	}
	gen := map[string]func(completionSpec) string{"bash": bashCompletion, "zsh": zshCompletion, "fish": fishCompletion, "powershell": powershellCompletion}[args[0]]
	if gen == nil {
		return usage(fmt.Sprintf("no completion for shell %q: mfa-git writes them for %s", args[0], strings.Join(completionShells, ", ")), "run: mfa-git completion bash")
	}
	fmt.Fprint(c.stdout, gen(newCompletionSpec()))
	return nil
}

// completionSpec is what the scripts complete, taken from the command
// table and the flag set that --help and the parser use.
type completionSpec struct {
	commands []string // sorted
	common   []flagSpec
	own      map[string][]flagSpec // per command, beyond common
	words    map[string][]string   // per command, words after it
}

// flagSpec is one flag as completion sees it.
type flagSpec struct {
	name, short, usage string
	value              bool     // takes a value
	choices            []string // the values it takes, when they are a fixed list
	profiles           bool     // its values are profile names
}

func newCompletionSpec() completionSpec {
	fs := newFlagSet(&flags{})
	spec := completionSpec{own: map[string][]flagSpec{}, words: map[string][]string{}}
	flag := func(name string) flagSpec {
		f := fs.Lookup(name)
		return flagSpec{
			name: f.Name, short: f.Shorthand, usage: firstSentence(f.Usage),
			value:    f.Value.Type() != "bool",
			choices:  flagChoices(f),
			profiles: f.Name == "profile",
		}
	}
	for _, n := range commonFlags {
		spec.common = append(spec.common, flag(n))
	}
	for name, cmd := range commands {
		spec.commands = append(spec.commands, name)
		for _, n := range cmd.flags {
			spec.own[name] = append(spec.own[name], flag(n))
		}
		sort.Slice(spec.own[name], func(i, j int) bool { return spec.own[name][i].name < spec.own[name][j].name })
		spec.words[name] = cmd.words
	}
	sort.Strings(spec.commands)
	return spec
}

func flagChoices(f *pflag.Flag) []string {
	switch f.Name {
	case "keyring":
		return keystore.Backends()
	case "prompt":
		return prompt.Drivers()
	case "shell":
		return shellNames()
	}
	return nil
}

// firstSentence shortens a flag's help to what fits a completion menu.
func firstSentence(s string) string {
	for _, sep := range []string{" (", ": "} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// valued lists every spelling of the flags that take a value.
func (s completionSpec) valued() []string {
	var out []string
	for _, f := range s.allFlags() {
		if f.value {
			out = append(out, "--"+f.name)
			if f.short != "" {
				out = append(out, "-"+f.short)
			}
		}
	}
	return out
}

// allFlags is every flag once, common ones first.
func (s completionSpec) allFlags() []flagSpec {
	seen := map[string]bool{}
	var out []flagSpec
	for _, f := range s.common {
		seen[f.name] = true
		out = append(out, f)
	}
	for _, c := range s.commands {
		for _, f := range s.own[c] {
			if !seen[f.name] {
				seen[f.name] = true
				out = append(out, f)
			}
		}
	}
	return out
}

func flagWords(fs []flagSpec) string {
	var w []string
	for _, f := range fs {
		w = append(w, "--"+f.name)
	}
	return strings.Join(w, " ")
}
