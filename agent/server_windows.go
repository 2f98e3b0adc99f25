package agent

import (
	"context"
	"log"
	"time"

	"github.com/mfa-git/mfa-git/session"

	"github.com/mfa-git/mfa-git/keystore"
)

const supported = false

// Server is not available on Windows.
type Server struct {
	Refresh     func(ctx context.Context, profile string) (string, *session.Session, error)
	RefreshLead time.Duration
}

// Listen reports ErrUnsupported.
func Listen(string, keystore.Store, *log.Logger) (*Server, error) { return nil, ErrUnsupported }

// Serve is never reached.
func (*Server) Serve() error { return ErrUnsupported }

// Close does nothing.
func (*Server) Close() {}
