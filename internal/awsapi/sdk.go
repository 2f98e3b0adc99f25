// Package awsapi makes mfa-git's few AWS calls: sts:GetSessionToken,
// sts:GetCallerIdentity, sts:AssumeRole and iam:ListMFADevices with the
// AWS SDK's generated STS and IAM clients; sso:GetRoleCredentials,
// sso-oidc:CreateToken and signin:CreateOAuth2Token (IAM Identity Center
// and aws login profiles, with the AWS CLI's token files) with its own
// small REST JSON client, checked against the SDK's providers in tests.
// One place for endpoints, deadlines, retries and the texts that turn
// AWS's errors into a next step.
//
// The clients are configured here from a profile.Profile, never through
// the SDK's config loader, and built only when a call is made: the cached
// hot path does no SDK configuration work.
package awsapi

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyendpoints "github.com/aws/smithy-go/endpoints"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/trace"
)

// MaxAttempts bounds tries of one call; the SDK's standard retryer
// retries throttling, 5xx answers and network errors.
const MaxAttempts = 4

// defaultRegion is used when the profile and the environment name none,
// as mfa-git always has.
const defaultRegion = "us-east-1"

// httpClient is an HTTP client with proxies from the environment, the
// profile's CA bundle and a deadline for each attempt, tracing each
// attempt when t is on.
func httpClient(p *profile.Profile, attempt time.Duration, t trace.Func) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone() // proxies from the environment
	if p.CABundle != "" {
		if !filepath.IsAbs(p.CABundle) {
			// Relative to the current folder: the repository git runs
			// mfa-git in, whose certificates must not be trusted.
			return nil, hint.New(nil, fmt.Sprintf("the CA bundle %q is not an absolute path: git runs mfa-git in the repository, where it would name the repository's file", p.CABundle),
				"set AWS_CA_BUNDLE or the profile's ca_bundle to an absolute path")
		}
		pem, err := os.ReadFile(p.CABundle)
		if err != nil {
			return nil, hint.New(err, fmt.Sprintf("read CA bundle: %v", err), "fix AWS_CA_BUNDLE or the profile's ca_bundle")
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, hint.New(nil, fmt.Sprintf("CA bundle %s holds no PEM certificate", p.CABundle), "fix AWS_CA_BUNDLE or the profile's ca_bundle")
		}
		// As the AWS SDKs do: the bundle replaces the system roots.
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}
	}
	if t.On() {
		return &http.Client{Transport: traced{tr, t}, Timeout: attempt}, nil
	}
	return &http.Client{Transport: tr, Timeout: attempt}, nil
}

// fullJitter waits a random time up to 100ms, 200ms, 400ms... capped at
// 2s before each retry, so a call's retries fit its deadline.
type fullJitter struct{}

func (fullJitter) BackoffDelay(attempt int, _ error) (time.Duration, error) {
	return rand.N(min(100*time.Millisecond<<attempt, 2*time.Second)) + time.Millisecond, nil
}

// retryer is the SDK's standard retryer with MaxAttempts tries and no
// client-wide retry quota (the agent is long-lived: one bad hour must not
// stop its retries for the next).
func retryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = MaxAttempts
		o.Backoff = fullJitter{}
		o.RateLimiter = ratelimit.None
	})
}

// stsResolver is the SDK's STS endpoint resolver, with the global
// endpoint when sts_regional_endpoints is legacy (the SDK for Go binds no
// option to that rule parameter).
type stsResolver struct{ global bool }

func (r stsResolver) ResolveEndpoint(ctx context.Context, params sts.EndpointParameters) (smithyendpoints.Endpoint, error) {
	if r.global && params.Endpoint == nil {
		params.UseGlobalEndpoint = aws.Bool(true)
	}
	return sts.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, params)
}

// options configures p's STS and IAM clients, signing with creds: they
// differ only in their endpoints.
func options(p *profile.Profile, creds aws.Credentials, hc *http.Client) (sts.Options, iam.Options) {
	s := sts.Options{
		Region:             cmp.Or(p.Region, defaultRegion),
		Credentials:        aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		HTTPClient:         hc,
		Retryer:            retryer(),
		EndpointResolverV2: stsResolver{global: p.STSRegionalEndpoints == "legacy"},
		// A clock more than 15 minutes off is reported, not worked
		// around: the CodeCommit passwords mfa-git signs locally would
		// fail with it anyway, less clearly.
		DisableClockSkewCorrection: true,
	}
	if p.Endpoint != "" {
		s.BaseEndpoint = aws.String(p.Endpoint)
	}
	if p.UseFIPS {
		s.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateEnabled
	}
	if p.UseDualStack {
		s.EndpointOptions.UseDualStackEndpoint = aws.DualStackEndpointStateEnabled
	}
	i := iam.Options{
		Region:                     s.Region,
		Credentials:                s.Credentials,
		HTTPClient:                 hc,
		Retryer:                    retryer(),
		DisableClockSkewCorrection: true,
	}
	if p.IAMEndpoint != "" {
		i.BaseEndpoint = aws.String(p.IAMEndpoint)
	}
	i.EndpointOptions.UseFIPSEndpoint = s.EndpointOptions.UseFIPSEndpoint
	i.EndpointOptions.UseDualStackEndpoint = s.EndpointOptions.UseDualStackEndpoint
	return s, i
}

// STSURL is where p's STS calls go, as the SDK resolves it: the
// configured endpoint, else AWS's endpoint for the region, partition,
// FIPS, dual-stack and sts_regional_endpoints settings.
func STSURL(p *profile.Profile) string {
	o, _ := options(p, aws.Credentials{}, nil)
	return resolvedURL(o.EndpointResolverV2, sts.EndpointParameters{
		Region:       aws.String(o.Region),
		UseFIPS:      aws.Bool(p.UseFIPS),
		UseDualStack: aws.Bool(p.UseDualStack),
		Endpoint:     o.BaseEndpoint,
	}, cmp.Or(p.Endpoint, "https://sts."+o.Region+".amazonaws.com"))
}

// IAMURL is where p's IAM calls go, as the SDK resolves it.
func IAMURL(p *profile.Profile) string {
	_, o := options(p, aws.Credentials{}, nil)
	return resolvedURL(iam.NewDefaultEndpointResolverV2(), iam.EndpointParameters{
		Region:       aws.String(o.Region),
		UseFIPS:      aws.Bool(p.UseFIPS),
		UseDualStack: aws.Bool(p.UseDualStack),
		Endpoint:     o.BaseEndpoint,
	}, cmp.Or(p.IAMEndpoint, "https://iam.amazonaws.com"))
}

// resolvedURL is the URL the SDK's resolver r gives for params, or
// fallback when it gives none.
func resolvedURL[P any](r interface {
	ResolveEndpoint(context.Context, P) (smithyendpoints.Endpoint, error)
}, params P, fallback string) string {
	ep, err := r.ResolveEndpoint(context.Background(), params)
	if err != nil {
		return fallback
	}
	return ep.URI.String()
}
