package agent

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/session"
)

func TestContainerEndpoint(t *testing.T) {
	calls := 0
	c := &Container{Session: func(context.Context) (*session.Session, error) {
		calls++
		return &session.Session{AccessKeyID: "ASIA1", SecretAccessKey: "s", SessionToken: "tok", Expiration: time.Now().Add(time.Hour)}, nil
	}}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var url, token string
	for _, kv := range c.Env() {
		k, v, _ := strings.Cut(kv, "=")
		if k == "AWS_CONTAINER_CREDENTIALS_FULL_URI" {
			url = v
		} else {
			token = v
		}
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") || len(token) < 40 {
		t.Fatalf("url %q, token of %d characters", url, len(token))
	}
	get := func(auth string) (int, string) {
		req, _ := http.NewRequest("GET", url, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(""); code != 401 || strings.Contains(body, "ASIA1") {
		t.Errorf("no token: %d %q", code, body)
	}
	if code, body := get(token[:len(token)-1] + "x"); code != 403 || strings.Contains(body, "ASIA1") {
		t.Errorf("wrong token: %d %q", code, body)
	}
	if calls != 0 {
		t.Errorf("session fetched for an unauthorised request")
	}
	code, body := get(token)
	var out map[string]string
	if code != 200 || json.Unmarshal([]byte(body), &out) != nil || out["AccessKeyId"] != "ASIA1" || out["Token"] != "tok" || out["Expiration"] == "" {
		t.Fatalf("right token: %d %q", code, body)
	}
}
