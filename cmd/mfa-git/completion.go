package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/shell"
)

func (c *cli) completion(_ context.Context, args []string) error {
	if len(args) == 0 {
		return usage("completion needs one shell: "+strings.Join(shell.CompletionShells(), ", "), "run: mfa-git completion bash")
	}
	if args[0] == shell.ProfilesWord {
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
	script, err := shell.Completion(args[0], completionSpec())
	if err != nil {
		return usage(err.Error(), "run: mfa-git completion bash")
	}
	fmt.Fprint(c.stdout, script)
	return nil
}

// completionSpec describes the command table and the flag set that --help
// and the parser use, for the completion scripts.
func completionSpec() shell.Spec {
	fs := newFlagSet(&flags{})
	spec := shell.Spec{Short: map[string]string{}, Own: map[string][]shell.Flag{}, Words: map[string][]string{}}
	flag := func(name string) shell.Flag {
		f := fs.Lookup(name)
		return shell.Flag{
			Name: f.Name, Short: f.Shorthand, Usage: shell.MenuText(f.Usage),
			Value:    f.Value.Type() != "bool",
			Choices:  flagChoices(f),
			Profiles: f.Name == "profile",
			Files:    f.Name == "token-command",
		}
	}
	for _, n := range commonFlags {
		spec.Common = append(spec.Common, flag(n))
	}
	for name, cmd := range commands {
		spec.Commands = append(spec.Commands, name)
		spec.Short[name] = cmd.short
		for _, n := range cmd.flags {
			spec.Own[name] = append(spec.Own[name], flag(n))
		}
		spec.Words[name] = cmd.words
	}
	sort.Strings(spec.Commands)
	return spec
}

func flagChoices(f *pflag.Flag) []string {
	switch f.Name {
	case "keyring":
		return keystore.Backends()
	case "prompt":
		return prompt.Drivers()
	case "shell":
		return shell.ExportShells()
	}
	return nil
}

// exportLine returns the line syntax for sh, or a usage error naming the
// shells there are.
func exportLine(sh string) (func(k, v string) string, error) {
	if line, ok := shell.Export(sh); ok {
		return line, nil
	}
	names := strings.Join(shell.ExportShells(), ", ")
	return nil, usage(fmt.Sprintf("unknown shell %q: env knows %s", sh, names),
		"run: mfa-git env --shell "+strings.Join(shell.ExportShells(), "|"))
}
