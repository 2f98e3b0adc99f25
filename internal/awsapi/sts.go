package awsapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/trace"
)

// Deadlines for STS and IAM: each HTTP attempt, and a whole call with
// retries.
const (
	AttemptTimeout = 10 * time.Second
	CallTimeout    = 30 * time.Second
)

// Client calls STS and IAM as the AWS SDKs would for a profile: region
// (AWS_REGION, AWS_DEFAULT_REGION, region), endpoint (see
// profile.Profile.Endpoint; else the SDK's resolver for the region's
// partition, FIPS, dual-stack and sts_regional_endpoints), CA bundle
// (AWS_CA_BUNDLE, ca_bundle) and proxies (HTTPS_PROXY, NO_PROXY). The
// zero value is ready to use.
type Client struct {
	// AttemptTimeout and CallTimeout replace the package's deadlines
	// when set.
	AttemptTimeout, CallTimeout time.Duration
	// Trace, when on, gets a line for each HTTP attempt of a call.
	Trace trace.Func
}

func (c Client) attempt() time.Duration { return cmp.Or(c.AttemptTimeout, AttemptTimeout) }
func (c Client) call() time.Duration    { return cmp.Or(c.CallTimeout, CallTimeout) }

// Credentials are temporary credentials STS issued.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// sts builds an STS client for p signing with creds.
func (cl Client) sts(p *profile.Profile, creds aws.Credentials) (*sts.Client, error) {
	hc, err := httpClient(p, cl.attempt(), cl.Trace)
	if err != nil {
		return nil, err
	}
	o, _ := options(p, creds, hc)
	return sts.New(o), nil
}

// GetSessionToken exchanges p's long-term key and a one-time code for a
// session of p.Duration.
func (cl Client) GetSessionToken(ctx context.Context, p *profile.Profile, code string) (*Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	c, err := cl.sts(p, aws.Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey})
	if err != nil {
		return nil, err
	}
	out, err := c.GetSessionToken(ctx, &sts.GetSessionTokenInput{
		SerialNumber:    aws.String(p.MFASerial),
		TokenCode:       aws.String(code),
		DurationSeconds: aws.Int32(int32(p.Duration / time.Second)),
	})
	if err != nil {
		return nil, cl.explain(err, p, "STS", "GetSessionToken", STSURL(p))
	}
	return credentials("GetSessionToken", out.Credentials)
}

// credentials checks and copies what STS answered op with.
func credentials(op string, c *types.Credentials) (*Credentials, error) {
	if c == nil {
		// The SDK answers an empty 200 with no fields at all.
		return nil, hint.New(nil, fmt.Sprintf("STS answered %s without credentials (an empty or malformed XML answer)", op), "try again; if it persists, check AWS_ENDPOINT_URL_STS points at STS")
	}
	if aws.ToString(c.AccessKeyId) == "" || aws.ToString(c.SecretAccessKey) == "" || aws.ToString(c.SessionToken) == "" || c.Expiration == nil || c.Expiration.IsZero() {
		return nil, hint.New(nil, fmt.Sprintf("STS answered %s without complete credentials", op), "try again; if it persists, check AWS_ENDPOINT_URL_STS points at STS")
	}
	if !c.Expiration.After(time.Now()) {
		return nil, hint.New(nil, fmt.Sprintf("STS answered with a session that expires at %s, which is already past here", c.Expiration.UTC().Format(time.RFC3339)),
			"check this computer's clock (mfa-git doctor shows the offset)")
	}
	return &Credentials{
		AccessKeyID:     *c.AccessKeyId,
		SecretAccessKey: *c.SecretAccessKey,
		SessionToken:    *c.SessionToken,
		Expiration:      c.Expiration.UTC(),
	}, nil
}

// CallerIdentity returns the ARN that credentials s authenticate as; p
// gives the endpoint settings.
func (cl Client) CallerIdentity(ctx context.Context, p *profile.Profile, s Credentials) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	c, err := cl.sts(p, aws.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken})
	if err != nil {
		return "", err
	}
	out, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", cl.explain(err, p, "STS", "GetCallerIdentity", STSURL(p))
	}
	return aws.ToString(out.Arn), nil
}

// Rejected reports whether err is AWS refusing the credentials themselves
// (as opposed to a network or service fault).
func Rejected(err error) bool {
	var api *APIError
	if !errors.As(err, &api) {
		return false
	}
	if clockSkew(api) {
		return false // the clock is wrong, not the credentials
	}
	switch api.Code {
	case "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "SignatureDoesNotMatch", "AccessDenied", "UnrecognizedClientException":
		return true
	}
	return false
}

// explain turns a failed call of service's op at endpoint into a message
// a person can act on.
func (cl Client) explain(err error, p *profile.Profile, service, op, endpoint string) error {
	endpoint = gitcred.ShowURL(endpoint) // never a proxy's password in a message
	err = apiError(err)
	var api *APIError
	if errors.As(err, &api) {
		msg := api.Message
		switch code := api.Code; {
		case code == "AccessDenied" && strings.Contains(msg, "invalid MFA one time pass code"):
			return codeRefused(err)
		case code == "AccessDenied" && strings.Contains(msg, "unable to validate MFA code"):
			return hint.New(err, fmt.Sprintf("AWS does not know MFA device %s for this user", p.MFASerial),
				fmt.Sprintf("set mfa_serial in profile %q to the device ARN shown under Security credentials in the IAM console", p.Name))
		case code == "InvalidClientTokenId":
			return hint.New(err, fmt.Sprintf("AWS does not recognise the access key of profile %q (deleted, deactivated or mistyped)", p.Name),
				"check aws_access_key_id in "+p.Files.Credentials+", or create a new access key in the IAM console")
		case clockSkew(api):
			return hint.New(err, "AWS refused the request because this computer's clock is more than 15 minutes off", "set the clock right (timedatectl set-ntp true on Linux, automatic time in the system settings elsewhere), then try again")
		case code == "SignatureDoesNotMatch":
			return hint.New(err, fmt.Sprintf("the secret access key of profile %q does not match its access key id", p.Name),
				"check aws_secret_access_key in "+p.Files.Credentials)
		case code == "ExpiredToken" || code == "ExpiredTokenException":
			return hint.New(err, "AWS says the credentials have expired", "run: mfa-git login --profile "+profile.ShellQuote(p.Name))
		case strings.Contains(code, "Throttl") || code == "RequestLimitExceeded":
			return hint.New(err, fmt.Sprintf("%s is throttling %s requests and retries did not get through", service, op), "wait a minute and try again")
		}
		return hint.New(err, fmt.Sprintf("%s %s failed: %s: %s", service, op, api.Code, msg), "check the profile's keys and mfa_serial")
	}
	var derr *smithy.DeserializationError
	if errors.As(err, &derr) {
		return hint.New(err, fmt.Sprintf("%s answered %s with malformed XML: %v", endpoint, op, derr.Err),
			fmt.Sprintf("try again; if it persists, check that AWS_ENDPOINT_URL_%s or endpoint_url points at %s", service, service))
	}
	var uerr *url.Error
	errors.As(err, &uerr)
	var nerr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &nerr) && nerr.Timeout()) {
		return hint.New(err, fmt.Sprintf("no answer from %s within %s", endpoint, cl.call()), "check your network, or AWS_ENDPOINT_URL_"+service+" if you set one")
	}
	if uerr != nil {
		return hint.New(err, fmt.Sprintf("cannot reach %s: %v", endpoint, uerr.Err), "check your network, or AWS_ENDPOINT_URL_"+service+" / endpoint_url if you set one")
	}
	return hint.New(err, fmt.Sprintf("%s %s failed: %v", service, op, err), "check your network and the profile's settings")
}

// clockSkew reports whether AWS refused a request for being signed too far
// from its clock.
func clockSkew(api *APIError) bool {
	return api.Code == "RequestExpired" || api.Code == "RequestTimeTooSkewed" || strings.Contains(api.Message, "Signature expired")
}
