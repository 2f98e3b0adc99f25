package agent

import (
	"log"

	"github.com/mfa-git/mfa-git/keystore"
)

const supported = false

// Server is not available on Windows.
type Server struct{}

// Listen reports ErrUnsupported.
func Listen(string, keystore.Store, *log.Logger) (*Server, error) { return nil, ErrUnsupported }

// Serve is never reached.
func (*Server) Serve() error { return ErrUnsupported }

// Close does nothing.
func (*Server) Close() {}
