//go:build !windows

package prompt

import (
	"io"
	"os"
)

func openTTY() (*tty, error) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	return &tty{in: f, out: f, closers: []io.Closer{f}}, nil
}
