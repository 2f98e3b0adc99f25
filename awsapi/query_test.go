package awsapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/mfa-git/mfa-git/profile"
)

// scripted answers each request with the next of answers (status, body).
func scripted(t *testing.T, answers ...[2]string) (*queryClient, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIAAAAAAAAAAAAAAAAA/") {
			t.Errorf("request not signed: %q", r.Header.Get("Authorization"))
		}
		a := answers[min(i, len(answers)-1)]
		code := map[string]int{"200": 200, "400": 400, "403": 403, "500": 500, "503": 503}[a[0]]
		w.WriteHeader(code)
		w.Write([]byte(a[1]))
	}))
	t.Cleanup(srv.Close)
	c, err := newQueryClient(&profile.Profile{Endpoint: srv.URL, Region: "us-east-1"}, "sts", stsVersion, aws.Credentials{AccessKeyID: "AKIAAAAAAAAAAAAAAAAA", SecretAccessKey: "s"}, AttemptTimeout)
	if err != nil {
		t.Fatal(err)
	}
	return c, &n
}

const (
	okArn     = `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:x</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>`
	throttled = `<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>`
	denied    = `<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>`
)

type arnOut struct {
	Arn string `xml:"GetCallerIdentityResult>Arn"`
}

func TestQueryRetries(t *testing.T) {
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
		c, n := scripted(t, tt.answers...)
		var out arnOut
		err := c.call(context.Background(), "GetCallerIdentity", nil, &out)
		if tt.wantErr == "" && (err != nil || out.Arn != "arn:x") {
			t.Errorf("%s: %v, arn %q", tt.name, err, out.Arn)
		}
		if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
		}
		if n.Load() != tt.calls {
			t.Errorf("%s: %d requests, want %d", tt.name, n.Load(), tt.calls)
		}
	}
}

func TestQueryDeadline(t *testing.T) {
	c, _ := scripted(t, [2]string{"503", "busy"})
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := c.call(ctx, "GetCallerIdentity", nil, &arnOut{}); err == nil {
		t.Fatal("no error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("retries outlived the deadline: %s", d)
	}
}

func TestDefaultEndpoint(t *testing.T) {
	if got := defaultEndpoint("sts", "eu-west-1"); got != "https://sts.eu-west-1.amazonaws.com" {
		t.Error(got)
	}
	if got := defaultEndpoint("sts", "cn-north-1"); got != "https://sts.cn-north-1.amazonaws.com.cn" {
		t.Error(got)
	}
}
