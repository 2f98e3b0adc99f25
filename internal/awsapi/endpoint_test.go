package awsapi

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mfa-git/mfa-git/internal/profile"
)

// Endpoints come from the SDK's rules for every partition, FIPS,
// dual-stack, sts_regional_endpoints=legacy and a configured endpoint.
func TestEndpoints(t *testing.T) {
	tests := []struct {
		name     string
		p        profile.Profile
		sts, iam string
	}{
		{"us-east-1", profile.Profile{Region: "us-east-1"}, "https://sts.us-east-1.amazonaws.com", "https://iam.amazonaws.com"},
		{"no region", profile.Profile{}, "https://sts.us-east-1.amazonaws.com", "https://iam.amazonaws.com"},
		{"eu-west-1", profile.Profile{Region: "eu-west-1"}, "https://sts.eu-west-1.amazonaws.com", "https://iam.amazonaws.com"},
		{"cn-north-1", profile.Profile{Region: "cn-north-1"}, "https://sts.cn-north-1.amazonaws.com.cn", "https://iam.cn-north-1.amazonaws.com.cn"},
		{"us-gov-west-1", profile.Profile{Region: "us-gov-west-1"}, "https://sts.us-gov-west-1.amazonaws.com", "https://iam.us-gov.amazonaws.com"},
		{"iso", profile.Profile{Region: "us-iso-east-1"}, "https://sts.us-iso-east-1.c2s.ic.gov", "https://iam.us-iso-east-1.c2s.ic.gov"},
		{"FIPS", profile.Profile{Region: "us-east-1", UseFIPS: true}, "https://sts-fips.us-east-1.amazonaws.com", "https://iam-fips.amazonaws.com"},
		{"FIPS us-gov", profile.Profile{Region: "us-gov-west-1", UseFIPS: true}, "https://sts.us-gov-west-1.amazonaws.com", "https://iam.us-gov.amazonaws.com"},
		{"dual-stack", profile.Profile{Region: "eu-west-1", UseDualStack: true}, "https://sts.eu-west-1.api.aws", "https://iam.global.api.aws"},
		{"legacy global", profile.Profile{Region: "eu-west-1", STSRegionalEndpoints: "legacy"}, "https://sts.amazonaws.com", "https://iam.amazonaws.com"},
		{"legacy, not a legacy region", profile.Profile{Region: "af-south-1", STSRegionalEndpoints: "legacy"}, "https://sts.af-south-1.amazonaws.com", "https://iam.amazonaws.com"},
		{"endpoint_url", profile.Profile{Region: "eu-west-1", Endpoint: "http://127.0.0.1:4566", IAMEndpoint: "http://127.0.0.1:4567"}, "http://127.0.0.1:4566", "http://127.0.0.1:4567"},
		{"endpoint_url wins over legacy and FIPS", profile.Profile{Region: "eu-west-1", STSRegionalEndpoints: "legacy", Endpoint: "https://sts.example.test"}, "https://sts.example.test", "https://iam.amazonaws.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := STSURL(&tt.p); got != tt.sts {
				t.Errorf("STS %s, want %s", got, tt.sts)
			}
			if got := IAMURL(&tt.p); got != tt.iam {
				t.Errorf("IAM %s, want %s", got, tt.iam)
			}
			// The clients send their requests there.
			stsReq, iamReq := sentTo(t, &tt.p)
			if stsReq != tt.sts+"/" || iamReq != tt.iam+"/" {
				t.Errorf("requests went to %s and %s", stsReq, iamReq)
			}
		})
	}
}

// recorder answers every request 403 and remembers its URL.
type recorder struct {
	mu   sync.Mutex
	urls []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.urls = append(r.urls, req.URL.String())
	r.mu.Unlock()
	return &http.Response{StatusCode: 403, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
}

// sentTo makes one STS and one IAM call for p through a transport that
// records where they go, without any network.
func sentTo(t *testing.T, p *profile.Profile) (stsURL, iamURL string) {
	t.Helper()
	var rec recorder
	creds := Credentials{AccessKeyID: "AKIAAAAAAAAAAAAAAAAA", SecretAccessKey: "s"}
	hc := &http.Client{Transport: &rec}
	sc := Client{}.stsWith(p, creds, hc)
	_, _ = sc.GetCallerIdentity(context.Background(), nil)
	ic := Client{}.iamWith(p, creds, hc)
	_, _ = ic.ListMFADevices(context.Background(), nil)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.urls) != 2 {
		t.Fatalf("requests: %q", rec.urls)
	}
	return strings.TrimSuffix(rec.urls[0], "?"), rec.urls[1]
}
