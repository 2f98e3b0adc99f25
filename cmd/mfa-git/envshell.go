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
	{"fish", func(k, v string) string { return "set -gx " + k + " " + fishQuote(v) + ";" }},
	{"powershell", psExport},
	{"pwsh", psExport},
}

func shExport(k, v string) string { return "export " + k + "=" + shQuote(v) }

func psExport(k, v string) string { return "$env:" + k + " = " + psQuote(v) }

// shQuote, fishQuote and psQuote write s as one literal word of the shell
// (for export lines and completion scripts).
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

func psQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

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
