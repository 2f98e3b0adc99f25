package agent

import (
	"io/fs"
	"net"
)

// Supported reports whether the agent runs on this system: not on
// Windows yet, where commands use the keystore directly.
const Supported = false

// listenSocket is never reached: Listen reports ErrUnsupported first.
func listenSocket(string) (net.Listener, fs.FileInfo, error) { return nil, nil, ErrUnsupported }

// Spawn reports ErrUnsupported.
func Spawn(string, string) (int, error) { return 0, ErrUnsupported }
