package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// help is "mfa-git help [COMMAND | environment]".
func (c *cli) help(_ context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(c.stdout, mainUsage())
		return nil
	}
	if args[0] == helpEnvironment {
		fmt.Fprint(c.stdout, environmentUsage())
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return unknownCommand(args[0])
	}
	fmt.Fprint(c.stdout, c.commandUsage(args[0], cmd))
	return nil
}

// unknownCommand is the error for a command mfa-git does not have, with
// the nearest one it has when the name looks like a typo of it.
func unknownCommand(name string) error {
	if n := nearest(name, append(commandNames(), helpEnvironment)); n != "" {
		next := "run: mfa-git help " + n
		if n == helpEnvironment {
			next = "run: mfa-git help environment"
		}
		return usage(fmt.Sprintf("unknown command %q: did you mean %q?", name, n), next)
	}
	return usage(fmt.Sprintf("unknown command %q", name), "run: mfa-git help (it lists the commands)")
}

// flagError turns pflag's parse error into one that names the nearest
// flag the command takes, and the command's own help.
func (c *cli) flagError(err error, args []string) error {
	cmdName := ""
	for _, a := range args {
		if a == "--" {
			break
		}
		if _, ok := commands[a]; ok {
			cmdName = a
			break
		}
	}
	helpCmd := "run: mfa-git help"
	allowed := append([]string{}, commonFlags...)
	if cmdName != "" {
		helpCmd = "run: mfa-git help " + cmdName
		allowed = append(allowed, commands[cmdName].flags...)
	} else {
		c.fs.VisitAll(func(f *pflag.Flag) { allowed = append(allowed, f.Name) })
	}
	msg := err.Error()
	if typed, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		if n := nearest(typed, allowed); n != "" {
			return usage(fmt.Sprintf("unknown flag --%s: did you mean --%s?", typed, n), helpCmd)
		}
	}
	return usage(msg, helpCmd)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
