//go:build windows

package child

// terminalSentInterrupt: on Windows the console sends Ctrl-C to every
// process attached to it, the child included, and a process cannot be
// sent an interrupt by another, so there is nothing to forward.
func terminalSentInterrupt() bool { return true }
