package main

import (
	"fmt"
	"strings"
)

// exportSyntaxes is every shell "mfa-git env --shell" knows, in the order
// help and errors name them, with the line that sets a variable there.
var exportSyntaxes = []struct {
	name string
	line func(k, v string) string
}{
	{"sh", shExport},
	{"bash", shExport},
	{"zsh", shExport},
	{"fish", func(k, v string) string {
		return fmt.Sprintf("set -gx %s '%s';", k, strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(v))
	}},
	{"powershell", psExport},
	{"pwsh", psExport},
}

func shExport(k, v string) string {
	return fmt.Sprintf("export %s='%s'", k, strings.ReplaceAll(v, "'", `'\''`))
}

func psExport(k, v string) string {
	return fmt.Sprintf("$env:%s = '%s'", k, strings.ReplaceAll(v, "'", "''"))
}

// shellNames lists the names --shell accepts.
func shellNames() []string {
	var names []string
	for _, s := range exportSyntaxes {
		names = append(names, s.name)
	}
	return names
}

// exportLine returns the line syntax for shell, or a usage error naming
// the shells there are.
func exportLine(shell string) (func(k, v string) string, error) {
	for _, s := range exportSyntaxes {
		if s.name == shell {
			return s.line, nil
		}
	}
	return nil, usage(fmt.Sprintf("unknown shell %q: env knows %s", shell, strings.Join(shellNames(), ", ")),
		"run: mfa-git env --shell "+strings.Join(shellNames(), "|"))
}
