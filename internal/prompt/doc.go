// Package prompt gets the one-time code for a profile's MFA device,
// behind one Prompter: the profile's token command (mfa_process, or
// --token-command), an askpass program (GIT_ASKPASS, git's core.askPass,
// SSH_ASKPASS), the terminal (/dev/tty, CONIN$) or a desktop dialog
// (osascript, zenity, kdialog), chosen by New from the options and what
// the system offers, each with a deadline (Timeout). Terminal also asks
// the few other questions mfa-git puts to a person: a passphrase, a
// yes or no, a line.
//
// Besides cmd/mfa-git, this is the one package that writes to a person,
// and only the prompt itself: the question, its "try again" line, the
// notice that a token command waits for a touch, and the lines cmd passes
// to Say go to the terminal (or a desktop notification), because that is
// where the person answering is (git and the AWS CLI may hide mfa-git's
// stderr). These are the prompt, not messages: everything else the
// package has to report is an error returned to its caller, with a hint,
// for cmd to print.
package prompt
