package awsapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
	"github.com/mfa-git/mfa-git/internal/testkit/sandboxtest"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

func TestSTSAgainstSandbox(t *testing.T) {
	sb, p := sandboxtest.Profile(t)
	ctx := context.Background()
	spent := sb.Code(0)
	s, err := Client{}.GetSessionToken(ctx, p, spent)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.AccessKeyID, "ASIA") || s.SessionToken == "" || time.Until(s.Expiration) < 59*time.Minute {
		t.Fatalf("unexpected session %s, %s left", s.AccessKeyID, time.Until(s.Expiration))
	}
	arn, err := Client{}.CallerIdentity(ctx, p, *s)
	if err != nil || arn != sandbox.UserARN() {
		t.Fatalf("CallerIdentity = %q, %v", arn, err)
	}

	// Each STS failure maps to a message and a next step.
	bad := *p
	bad.SecretAccessKey = "wrong"
	unknown := *p
	unknown.AccessKeyID = "AKIAUNKNOWNUNKNOWNUN"
	serial := *p
	serial.MFASerial = "arn:aws:iam::123456789012:mfa/nobody"
	tests := []struct {
		name string
		p    *profile.Profile
		code string
		want string
		hint string
	}{
		{"reused code", p, spent, "AWS refused the MFA code: it was mistyped, already used", "type the code your device shows now"},
		{"wrong code", p, "000000", "AWS refused the MFA code: it was mistyped, already used", "type the code your device shows now"},
		{"unknown device", &serial, sb.Code(1), "does not know MFA device", "mfa_serial"},
		{"wrong secret", &bad, sb.Code(1), "secret access key", "aws_secret_access_key"},
		{"unknown key", &unknown, sb.Code(1), "does not recognise the access key", "aws_access_key_id"},
	}
	for _, tt := range tests {
		_, err := Client{}.GetSessionToken(ctx, tt.p, tt.code)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(hint.Of(err), tt.hint) {
			t.Errorf("%s: err = %v, hint %q", tt.name, err, hint.Of(err))
		}
		if refused := strings.HasSuffix(tt.name, "code"); errors.Is(err, ErrCodeRefused) != refused {
			t.Errorf("%s: errors.Is(err, ErrCodeRefused) = %v, want %v", tt.name, !refused, refused)
		}
		if err != nil && (strings.Contains(err.Error(), tt.p.SecretAccessKey) || strings.Contains(err.Error(), tt.code)) {
			t.Errorf("%s: error message contains a secret or the code", tt.name)
		}
	}
	if st := sb.Stats(); st.GetSessionToken != 1 {
		t.Errorf("sandbox counted %d sessions", st.GetSessionToken)
	}

	// AWS's clock (its answer's Date) two minutes ahead of this one: a
	// refused code names the clock, whichever way it is off.
	for _, off := range []time.Duration{2 * time.Minute, -3 * time.Minute} {
		sb.SetClockOffset(off)
		_, err := Client{}.GetSessionToken(ctx, p, "000000")
		side := map[bool]string{true: "behind", false: "ahead of"}[off > 0]
		if want := fmt.Sprintf("this computer's clock is %s %s AWS's", off.Abs(), side); err == nil || !errors.Is(err, ErrCodeRefused) || !strings.Contains(err.Error(), want) || !strings.Contains(hint.Of(err), "set the clock right") {
			t.Errorf("clock %s off: err = %v, hint %q; want %q", off, err, hint.Of(err), want)
		}
	}
	sb.SetClockOffset(0)
}

func TestSTSNetworkErrors(t *testing.T) {
	_, p := sandboxtest.Profile(t)
	ctx := context.Background()

	refused := *p
	refused.Endpoint = "http://127.0.0.1:" + strconv.Itoa(testenv.FreePort(t))
	_, err := Client{}.GetSessionToken(ctx, &refused, "123456")
	if err == nil || !strings.Contains(err.Error(), "cannot reach "+refused.Endpoint) {
		t.Errorf("refused: %v", err)
	}

	// A server that never answers: the deadline ends the call.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	defer ln.Close()
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	hang := *p
	hang.Endpoint = "http://" + ln.Addr().String()
	start := time.Now()
	_, err = Client{AttemptTimeout: 200 * time.Millisecond, CallTimeout: time.Second}.GetSessionToken(ctx, &hang, "123456")
	if err == nil || !strings.Contains(err.Error(), hang.Endpoint) {
		t.Errorf("hang: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("hang: took %s despite a 1s deadline", d)
	}

	// An endpoint with user information (a proxy's password) is named
	// without it, whatever went wrong.
	for _, ep := range []string{"http://proxyuser:s3cret@127.0.0.1:" + strconv.Itoa(testenv.FreePort(t)), "http://proxyuser:s3cret@" + ln.Addr().String()} {
		withPassword := *p
		withPassword.Endpoint = ep
		_, err = Client{AttemptTimeout: 200 * time.Millisecond, CallTimeout: time.Second}.GetSessionToken(ctx, &withPassword, "123456")
		if err == nil || strings.Contains(err.Error(), "s3cret") || strings.Contains(hint.Of(err), "s3cret") {
			t.Errorf("endpoint with a password: %v (hint %q)", err, hint.Of(err))
		}
	}
}

// moto_server is an STS nobody here wrote: the client must work with it.
func TestSTSAgainstMoto(t *testing.T) {
	testenv.ClearAWSEnv(t)
	url := testenv.Moto(t)
	p := &profile.Profile{Name: "moto", AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		MFASerial: "arn:aws:iam::123456789012:mfa/moto", Duration: 15 * time.Minute, Region: "us-east-1", Endpoint: url}
	s, err := Client{}.GetSessionToken(context.Background(), p, "123456")
	if err != nil {
		t.Fatal(err)
	}
	if s.AccessKeyID == "" || s.SecretAccessKey == "" || s.SessionToken == "" {
		t.Fatalf("incomplete session from moto: %+v", s.AccessKeyID)
	}
	if d := time.Until(s.Expiration); d < 14*time.Minute || d > 16*time.Minute {
		t.Errorf("moto session lasts %s, asked for 15m", d)
	}
	if _, err := (Client{}).CallerIdentity(context.Background(), p, *s); err != nil {
		t.Fatal(err)
	}
}

func TestMFADevicesAgainstSandbox(t *testing.T) {
	sb, p := sandboxtest.Profile(t)
	p.IAMEndpoint = sb.STSURL
	got, err := Client{}.MFADevices(context.Background(), p)
	if err != nil || len(got) != 1 || got[0] != sb.MFASerial {
		t.Fatalf("MFADevices = %q, %v", got, err)
	}
}

// Every way STS can misbehave ends in a clear error within the deadline,
// and no fault yields a credential.
func TestSTSFaults(t *testing.T) {
	sb, p := sandboxtest.Profile(t)
	// The hanging faults meet short deadlines; the others get generous
	// ones, so a busy machine cannot turn their error into a timeout.
	short := Client{AttemptTimeout: 300 * time.Millisecond, CallTimeout: 2 * time.Second}
	generous := Client{AttemptTimeout: 10 * time.Second, CallTimeout: 30 * time.Second}
	tests := []struct {
		fault, want string
		attempts    int // requests the sandbox should see
	}{
		{"hang", "no answer from " + sb.STSURL, 0},
		{"5xx", "InternalFailure", MaxAttempts},
		{"throttle", "throttling", MaxAttempts},
		{"malformed", "malformed XML", 1},
		{"truncated", "", 0},
		{"empty", "malformed XML", 1},
		{"expired", "already past here", 0},
	}
	for i, tt := range tests {
		sb.SetFault(tt.fault)
		before := sb.Stats().Faulted
		start := time.Now()
		hangs := tt.fault == "hang" || tt.fault == "truncated"
		api := generous
		if hangs {
			api = short
		}
		s, err := api.GetSessionToken(context.Background(), p, sb.Code(i%3-1))
		took := time.Since(start)
		if err == nil || s != nil {
			t.Errorf("%s: got a session", tt.fault)
			continue
		}
		if tt.want != "" && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.fault, err, tt.want)
		}
		if hint.Of(err) == "" {
			t.Errorf("%s: no hint for %v", tt.fault, err)
		}
		if hangs && took > 10*time.Second {
			t.Errorf("%s: took %s despite the 2s deadline", tt.fault, took)
		}
		if n := sb.Stats().Faulted - before; tt.attempts > 0 && n != tt.attempts {
			t.Errorf("%s: %d attempts, want %d", tt.fault, n, tt.attempts)
		}
	}
	sb.SetFault("")
}

// clearAWSEnv keeps the developer's environment out of profile tests.
