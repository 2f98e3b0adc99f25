package prompt

import (
	"context"
	"fmt"
	"os"

	"golang.org/x/term"
)

// tty is the controlling terminal, opened for reading and writing.
type tty struct{ in, out *os.File }

// openTTY opens the controlling terminal: ttyIn to read (and to write,
// when ttyOut is the same device), else ttyOut to write.
func openTTY() (*tty, error) {
	in, err := os.OpenFile(ttyIn, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	if ttyOut == ttyIn {
		return &tty{in, in}, nil
	}
	out, err := os.OpenFile(ttyOut, os.O_WRONLY, 0)
	if err != nil {
		in.Close()
		return nil, err
	}
	return &tty{in, out}, nil
}

func (t *tty) Write(b []byte) (int, error) { return t.out.Write(b) }

func (t *tty) Close() error {
	if t.out != t.in {
		t.out.Close()
	}
	return t.in.Close()
}

// ReadSecret shows prompt and reads one line with echo off, then ends
// the line on the terminal. If ctx ends first, it restores the terminal
// and returns ctx's error; the blocked read is abandoned with the process.
func (t *tty) ReadSecret(ctx context.Context, prompt string) (string, error) {
	fd := int(t.in.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	restore, err := echoOff(fd) // before the prompt: nothing typed is shown
	if err != nil {
		return "", err
	}
	defer restore()
	fmt.Fprint(t, prompt)
	defer fmt.Fprintln(t)
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		ch <- result{b, err}
	}()
	select {
	case r := <-ch:
		return string(r.b), r.err
	case <-ctx.Done():
		term.Restore(fd, state)
		return "", ctx.Err()
	}
}
