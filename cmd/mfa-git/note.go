package main

import "fmt"

// note prints one line of what a command did on stdout, as
// "mfa-git: ...": the Say function cmd gives the packages that do the
// work.
func (c *cli) note(format string, args ...any) {
	fmt.Fprintf(c.stdout, "mfa-git: "+format+"\n", args...)
}
