package awsapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/profile"
)

// scripted answers each request with the next of answers (status, body)
// and returns a profile whose STS and IAM endpoint it is.
func scripted(t *testing.T, answers ...[2]string) (*profile.Profile, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=ASIAAAAAAAAAAAAAAAAA/") {
			t.Errorf("request not signed: %q", r.Header.Get("Authorization"))
		}
		a := answers[min(i, len(answers)-1)]
		code := map[string]int{"200": 200, "400": 400, "403": 403, "500": 500, "503": 503}[a[0]]
		w.WriteHeader(code)
		w.Write([]byte(a[1]))
	}))
	t.Cleanup(srv.Close)
	return &profile.Profile{Name: "scripted", Endpoint: srv.URL, IAMEndpoint: srv.URL, Region: "us-east-1"}, &n
}

var scriptedCreds = Credentials{AccessKeyID: "ASIAAAAAAAAAAAAAAAAA", SecretAccessKey: "s", SessionToken: "t"}

const (
	okArn     = `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:x</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>`
	throttled = `<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>`
	denied    = `<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>`
)

// The SDK's standard retryer, as configured: MaxAttempts tries of
// throttling and 5xx answers, none of refusals or malformed answers.
func TestRetries(t *testing.T) {
	tests := []struct {
		name    string
		answers [][2]string
		calls   int32
		wantErr string
	}{
		{"ok", [][2]string{{"200", okArn}}, 1, ""},
		{"throttled then ok", [][2]string{{"400", throttled}, {"503", "Service Unavailable"}, {"200", okArn}}, 3, ""},
		{"throttled throughout", [][2]string{{"400", throttled}}, MaxAttempts, "Throttling"},
		{"denied is not retried", [][2]string{{"403", denied}}, 1, "AccessDenied"},
		{"500 without XML", [][2]string{{"500", "<html>oops"}}, MaxAttempts, "Internal Server Error"},
		{"malformed success", [][2]string{{"200", "<GetCallerIdentityResponse><Get"}}, 1, "malformed XML"},
	}
	for _, tt := range tests {
		p, n := scripted(t, tt.answers...)
		arn, err := Client{}.CallerIdentity(context.Background(), p, scriptedCreds)
		if tt.wantErr == "" && (err != nil || arn != "arn:x") {
			t.Errorf("%s: %v, arn %q", tt.name, err, arn)
		}
		if tt.wantErr != "" && (err == nil || !strings.Contains(withAPIError(err), tt.wantErr)) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
		}
		if n.Load() != tt.calls {
			t.Errorf("%s: %d requests, want %d", tt.name, n.Load(), tt.calls)
		}
	}
}

// withAPIError is err's message followed by the AWS error behind it: the
// public calls explain AWS's codes in words.
func withAPIError(err error) string {
	var api *APIError
	if errors.As(err, &api) {
		return err.Error() + " [" + api.Error() + "]"
	}
	return err.Error()
}

func TestCallDeadline(t *testing.T) {
	p, _ := scripted(t, [2]string{"503", "busy"})
	start := time.Now()
	if _, err := (Client{CallTimeout: 150 * time.Millisecond}).CallerIdentity(context.Background(), p, scriptedCreds); err == nil {
		t.Fatal("no error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("retries outlived the deadline: %s", d)
	}
}

// IAM's failures are labelled IAM, not STS.
func TestIAMErrorsSayIAM(t *testing.T) {
	p, _ := scripted(t, [2]string{"403", `<ErrorResponse><Error><Code>LimitExceeded</Code><Message>nope</Message></Error></ErrorResponse>`})
	p.AccessKeyID, p.SecretAccessKey = scriptedCreds.AccessKeyID, scriptedCreds.SecretAccessKey
	_, err := Client{}.MFADevices(context.Background(), p)
	if err == nil || !strings.Contains(err.Error(), "IAM ListMFADevices failed") || strings.Contains(err.Error(), "STS") {
		t.Fatalf("err = %v", err)
	}
}

// A clock 20 minutes off is reported, not silently corrected by the SDK:
// the git passwords mfa-git signs locally would fail with it anyway.
func TestClockSkewReported(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Date", time.Now().Add(20*time.Minute).UTC().Format(http.TimeFormat))
		w.WriteHeader(403)
		w.Write([]byte(`<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>Signature expired: 20261123T100000Z is now earlier than 20261123T101500Z (20261123T102000Z - 15 min.)</Message></Error></ErrorResponse>`))
	}))
	defer srv.Close()
	p := &profile.Profile{Name: "skew", Endpoint: srv.URL, Region: "us-east-1"}
	_, err := Client{}.CallerIdentity(context.Background(), p, scriptedCreds)
	if err == nil || !strings.Contains(err.Error(), "clock is more than 15 minutes off") || Rejected(err) {
		t.Fatalf("err = %v (rejected %v)", err, Rejected(err))
	}
	if n.Load() != 1 {
		t.Errorf("%d requests: the SDK retried with a corrected clock", n.Load())
	}
}
