package prompt

import (
	"context"
	"io"

	"golang.org/x/term"
)

// tty is the controlling terminal, opened for reading and writing.
type tty struct {
	in      fdFile
	out     io.Writer
	closers []io.Closer
}

type fdFile interface {
	io.ReadCloser
	Fd() uintptr
}

func (t *tty) Write(b []byte) (int, error) { return t.out.Write(b) }

func (t *tty) Close() error {
	for _, c := range t.closers {
		c.Close()
	}
	return nil
}

// ReadSecret reads one line with echo off. If ctx ends first, it restores
// the terminal and returns ctx's error; the blocked read is abandoned with
// the process.
func (t *tty) ReadSecret(ctx context.Context) (string, error) {
	fd := int(t.in.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
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
