package agent

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/session"
)

// Container serves a session the way ECS serves a task's credentials:
// every AWS SDK reads AWS_CONTAINER_CREDENTIALS_FULL_URI and sends
// AWS_CONTAINER_AUTHORIZATION_TOKEN, and asks again before the
// credentials expire, so a long-running program gets each new session
// without restarting. It listens on 127.0.0.1 only; every request must
// carry the token, which is random for each run.
type Container struct {
	// Session returns a session with time left, refreshing it as needed.
	Session func(ctx context.Context) (*session.Session, error)

	srv   *http.Server
	url   string
	token string
}

// Start listens on a random loopback port.
func (c *Container) Start() error {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	c.token = base64.RawURLEncoding.EncodeToString(b)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	c.url = "http://" + ln.Addr().String() + "/"
	c.srv = &http.Server{Handler: http.HandlerFunc(c.serve), ReadHeaderTimeout: 5 * time.Second}
	go c.srv.Serve(ln)
	return nil
}

// Env is the environment a program needs to use the endpoint.
func (c *Container) Env() []string {
	return []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI=" + c.url, "AWS_CONTAINER_AUTHORIZATION_TOKEN=" + c.token}
}

// Close stops the endpoint.
func (c *Container) Close() {
	if c.srv != nil {
		c.srv.Close()
	}
}

func (c *Container) serve(w http.ResponseWriter, r *http.Request) {
	got := r.Header.Get("Authorization")
	switch {
	case got == "":
		http.Error(w, "missing authorization token", http.StatusUnauthorized)
		return
	case subtle.ConstantTimeCompare([]byte(got), []byte(c.token)) != 1:
		http.Error(w, "wrong authorization token", http.StatusForbidden)
		return
	case r.Method != http.MethodGet:
		http.Error(w, "use GET", http.StatusMethodNotAllowed)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), WaitLimit)
	defer cancel()
	s, err := c.Session(ctx)
	if err != nil {
		msg := err.Error()
		if h := hint.Of(err); h != "" {
			msg += "; " + h
		}
		http.Error(w, msg, http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(struct {
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string `json:"SecretAccessKey"`
		Token           string `json:"Token"`
		Expiration      string `json:"Expiration"`
	}{s.AccessKeyID, s.SecretAccessKey, s.SessionToken, s.Expiration.UTC().Format(time.RFC3339)})
}
