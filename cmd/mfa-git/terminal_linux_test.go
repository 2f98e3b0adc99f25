package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY returns a new pseudo-terminal's two ends: what a program is
// given as its terminal, and the side a person types into and reads.
func openPTY(t *testing.T) (term, person *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetUint32(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, m
}

// mfa-git typed alone at a terminal shows the short usage and exits 0: a
// person asked for it. (From a script it exits 2: help.txtar.)
func TestNoCommandAtTerminal(t *testing.T) {
	term, person := openPTY(t)
	var errb bytes.Buffer
	if code := run([]string{"mfa-git"}, strings.NewReader(""), term, &errb); code != 0 {
		t.Fatalf("exit %d, stderr %q; want 0", code, errb.String())
	}
	term.Close()
	out, _ := io.ReadAll(person) // EIO once the terminal side is closed
	if !strings.HasPrefix(string(out), "usage: mfa-git COMMAND") {
		t.Errorf("the terminal shows %q; want the usage", out)
	}
	if lines := strings.Count(string(out), "\n"); lines >= 30 {
		t.Errorf("the usage is %d lines; want under 30", lines)
	}
}

// get, store and erase run by hand at a terminal say what they read and
// how to end it; read from a pipe, as git runs them, they say nothing.
func TestGitOperationsExplainAtTerminal(t *testing.T) {
	for _, op := range []string{"get", "store", "erase"} {
		t.Run(op, func(t *testing.T) {
			term, person := openPTY(t)
			// A request for a host that is not CodeCommit: answered
			// with nothing, before any file or keyring is read.
			if _, err := person.Write([]byte("protocol=https\nhost=example.com\n\n")); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			if code := run([]string{"mfa-git", op}, term, &out, &errb); code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errb.String())
			}
			want := "mfa-git: " + op + " reads git's credential request from standard input"
			if !strings.Contains(errb.String(), want) || !strings.Contains(errb.String(), "Ctrl-D") {
				t.Errorf("stderr %q; want %q and how to end it", errb.String(), want)
			}
			errb.Reset()
			if code := run([]string{"mfa-git", op}, strings.NewReader("protocol=https\nhost=example.com\n\n"), &out, &errb); code != 0 || errb.Len() > 0 {
				t.Errorf("from a pipe: exit %d, stderr %q; want 0 and nothing", code, errb.String())
			}
		})
	}
}
