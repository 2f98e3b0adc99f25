//go:build linux || darwin

package agent

import (
	"errors"
	"net"
)

// peerUID returns the uid of the process at the other end of c, as the
// kernel recorded it when the connection was made.
func peerUID(c net.Conn) (int, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return -1, errors.New("not a unix socket")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return -1, err
	}
	uid := -1
	var gerr error
	if err := raw.Control(func(fd uintptr) { uid, gerr = socketPeerUID(int(fd)) }); err != nil {
		return -1, err
	}
	return uid, gerr
}
