//go:build !linux && !darwin

package agent

import (
	"errors"
	"net"
)

// peerUID is not implemented here, so every connection is refused.
func peerUID(net.Conn) (int, error) {
	return -1, errors.New("peer credentials are not supported on this system")
}
