package awsapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/profile"
)

// Deadlines for STS and IAM: each HTTP attempt, and a whole call with
// retries.
const (
	AttemptTimeout = 10 * time.Second
	CallTimeout    = 30 * time.Second
)

// Client calls STS and IAM as the AWS SDKs would for a profile: region
// (AWS_REGION, AWS_DEFAULT_REGION, region), endpoint (see
// profile.Profile.Endpoint), CA bundle (AWS_CA_BUNDLE, ca_bundle) and
// proxies (HTTPS_PROXY, NO_PROXY). The zero value is ready to use.
type Client struct {
	// AttemptTimeout and CallTimeout replace the package's deadlines
	// when set.
	AttemptTimeout, CallTimeout time.Duration
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

const stsVersion = "2011-06-15"

// GetSessionToken exchanges p's long-term key and a one-time code for a
// session of p.Duration.
func (cl Client) GetSessionToken(ctx context.Context, p *profile.Profile, code string) (*Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	c, err := newQueryClient(p, "sts", stsVersion, aws.Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey}, cl.attempt())
	if err != nil {
		return nil, err
	}
	var out struct {
		AccessKeyID     string    `xml:"GetSessionTokenResult>Credentials>AccessKeyId"`
		SecretAccessKey string    `xml:"GetSessionTokenResult>Credentials>SecretAccessKey"`
		SessionToken    string    `xml:"GetSessionTokenResult>Credentials>SessionToken"`
		Expiration      time.Time `xml:"GetSessionTokenResult>Credentials>Expiration"`
	}
	err = c.call(ctx, "GetSessionToken", url.Values{
		"SerialNumber":    {p.MFASerial},
		"TokenCode":       {code},
		"DurationSeconds": {strconv.Itoa(int(p.Duration / time.Second))},
	}, &out)
	if err != nil {
		return nil, cl.explain(err, p, "GetSessionToken")
	}
	if out.AccessKeyID == "" || out.SecretAccessKey == "" || out.SessionToken == "" || out.Expiration.IsZero() {
		return nil, hint.New(nil, "STS answered GetSessionToken without complete credentials", "try again; if it persists, check AWS_ENDPOINT_URL_STS points at STS")
	}
	if !out.Expiration.After(time.Now()) {
		return nil, hint.New(nil, fmt.Sprintf("STS answered with a session that expires at %s, which is already past here", out.Expiration.UTC().Format(time.RFC3339)),
			"check this computer's clock (mfa-git doctor shows the offset)")
	}
	return &Credentials{
		AccessKeyID:     out.AccessKeyID,
		SecretAccessKey: out.SecretAccessKey,
		SessionToken:    out.SessionToken,
		Expiration:      out.Expiration.UTC(),
	}, nil
}

// CallerIdentity returns the ARN that credentials s authenticate as; p
// gives the endpoint settings.
func (cl Client) CallerIdentity(ctx context.Context, p *profile.Profile, s Credentials) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	c, err := newQueryClient(p, "sts", stsVersion, aws.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken}, cl.attempt())
	if err != nil {
		return "", err
	}
	var out struct {
		Arn string `xml:"GetCallerIdentityResult>Arn"`
	}
	if err := c.call(ctx, "GetCallerIdentity", nil, &out); err != nil {
		return "", cl.explain(err, p, "GetCallerIdentity")
	}
	return out.Arn, nil
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

// explain turns an STS failure into a message a person can act on.
func (cl Client) explain(err error, p *profile.Profile, op string) error {
	var api *APIError
	if errors.As(err, &api) {
		msg := api.Message
		switch code := api.Code; {
		case code == "AccessDenied" && strings.Contains(msg, "invalid MFA one time pass code"):
			return hint.New(err, "AWS rejected the MFA code: it is wrong, expired or was already used", "wait for the next code on your device and try again")
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
			return hint.New(err, fmt.Sprintf("STS is throttling %s requests and retries did not get through", op), "wait a minute and try again")
		}
		return hint.New(err, fmt.Sprintf("STS %s failed: %s: %s", op, api.Code, msg), "check the profile's keys and mfa_serial")
	}
	var uerr *url.Error
	errors.As(err, &uerr)
	endpoint := STSURL(p)
	var nerr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &nerr) && nerr.Timeout()) {
		return hint.New(err, fmt.Sprintf("no answer from %s within %s", endpoint, cl.call()), "check your network, or AWS_ENDPOINT_URL_STS if you set one")
	}
	if uerr != nil {
		return hint.New(err, fmt.Sprintf("cannot reach %s: %v", endpoint, uerr.Err), "check your network, or AWS_ENDPOINT_URL_STS / endpoint_url if you set one")
	}
	return hint.New(err, fmt.Sprintf("STS %s failed: %v", op, err), "check your network and the profile's settings")
}

// clockSkew reports whether AWS refused a request for being signed too far
// from its clock.
func clockSkew(api *APIError) bool {
	return api.Code == "RequestExpired" || api.Code == "RequestTimeTooSkewed" || strings.Contains(api.Message, "Signature expired")
}
