package session

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// Deadlines for STS: each HTTP attempt, and a whole call with retries.
var (
	AttemptTimeout = 10 * time.Second
	CallTimeout    = 30 * time.Second
)

// STS is the part of AWS STS that sessions need.
type STS interface {
	// GetSessionToken exchanges p's long-term key and a one-time code for
	// a session.
	GetSessionToken(ctx context.Context, p *Profile, code string) (*Session, error)
	// CallerIdentity returns the ARN the session authenticates as.
	CallerIdentity(ctx context.Context, p *Profile, s *Session) (string, error)
}

// AWS is the real STS, configured as the AWS SDKs configure themselves for
// the profile: region (AWS_REGION, AWS_DEFAULT_REGION, region), endpoint
// (see Profile.Endpoint) and CA bundle (AWS_CA_BUNDLE, ca_bundle).
type AWS struct{}

func (AWS) client(_ context.Context, p *Profile, c aws.Credentials) (*sts.Client, error) {
	httpClient := awshttp.NewBuildableClient().WithTimeout(AttemptTimeout)
	if p.CABundle != "" {
		pem, err := os.ReadFile(p.CABundle)
		if err != nil {
			return nil, withHint(err, fmt.Sprintf("read CA bundle: %v", err), "fix AWS_CA_BUNDLE or the profile's ca_bundle")
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, withHint(nil, fmt.Sprintf("CA bundle %s holds no PEM certificate", p.CABundle), "fix AWS_CA_BUNDLE or the profile's ca_bundle")
		}
		httpClient = httpClient.WithTransportOptions(func(tr *http.Transport) {
			if tr.TLSClientConfig == nil {
				tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
			}
			tr.TLSClientConfig.RootCAs = pool
		})
	}
	opts := sts.Options{
		// STS answers in every region; without one the SDK cannot build
		// an endpoint at all.
		Region:      firstNonEmpty(p.Region, "us-east-1"),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return c, nil }),
		HTTPClient:  httpClient,
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 4 // exponential backoff with jitter between tries
			o.MaxBackoff = 2 * time.Second
		}),
	}
	if p.Endpoint != "" {
		opts.BaseEndpoint = aws.String(p.Endpoint)
	}
	return sts.New(opts), nil
}

// GetSessionToken implements STS.
func (a AWS) GetSessionToken(ctx context.Context, p *Profile, code string) (*Session, error) {
	ctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	c, err := a.client(ctx, p, aws.Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey})
	if err != nil {
		return nil, err
	}
	out, err := c.GetSessionToken(ctx, &sts.GetSessionTokenInput{
		SerialNumber:    aws.String(p.MFASerial),
		TokenCode:       aws.String(code),
		DurationSeconds: aws.Int32(int32(p.Duration / time.Second)),
	})
	if err != nil {
		return nil, explain(err, p, "GetSessionToken")
	}
	cr := out.Credentials
	if cr == nil || cr.AccessKeyId == nil || cr.SecretAccessKey == nil || cr.SessionToken == nil || cr.Expiration == nil {
		return nil, withHint(nil, "STS answered GetSessionToken without complete credentials", "try again; if it persists, check AWS_ENDPOINT_URL_STS points at STS")
	}
	return &Session{
		AccessKeyID:     *cr.AccessKeyId,
		SecretAccessKey: *cr.SecretAccessKey,
		SessionToken:    *cr.SessionToken,
		Expiration:      cr.Expiration.UTC(),
		MFASerial:       p.MFASerial,
		Profile:         p.Name,
		SourceKeyID:     p.AccessKeyID,
	}, nil
}

// CallerIdentity implements STS.
func (a AWS) CallerIdentity(ctx context.Context, p *Profile, s *Session) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	c, err := a.client(ctx, p, aws.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken})
	if err != nil {
		return "", err
	}
	out, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", explain(err, p, "GetCallerIdentity")
	}
	return aws.ToString(out.Arn), nil
}

// Rejected reports whether err is AWS refusing the credentials themselves
// (as opposed to a network or service fault).
func Rejected(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	switch api.ErrorCode() {
	case "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "SignatureDoesNotMatch", "AccessDenied", "UnrecognizedClientException":
		return true
	}
	return false
}

// explain turns an STS failure into a message a person can act on.
func explain(err error, p *Profile, op string) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		msg := api.ErrorMessage()
		switch code := api.ErrorCode(); {
		case code == "AccessDenied" && strings.Contains(msg, "invalid MFA one time pass code"):
			return withHint(err, "AWS rejected the MFA code: it is wrong, expired or was already used", "wait for the next code on your device and try again")
		case code == "AccessDenied" && strings.Contains(msg, "unable to validate MFA code"):
			return withHint(err, fmt.Sprintf("AWS does not know MFA device %s for this user", p.MFASerial),
				fmt.Sprintf("set mfa_serial in profile %q to the device ARN shown under Security credentials in the IAM console", p.Name))
		case code == "InvalidClientTokenId":
			return withHint(err, fmt.Sprintf("AWS does not recognise the access key of profile %q (deleted, deactivated or mistyped)", p.Name),
				"check aws_access_key_id in "+p.Files.Credentials+", or create a new access key in the IAM console")
		case code == "SignatureDoesNotMatch":
			return withHint(err, fmt.Sprintf("the secret access key of profile %q does not match its access key id", p.Name),
				"check aws_secret_access_key in "+p.Files.Credentials)
		case code == "ExpiredToken" || code == "ExpiredTokenException":
			return withHint(err, "AWS says the credentials have expired", "run: mfa-git login --profile "+p.Name)
		case strings.Contains(code, "Throttl") || code == "RequestLimitExceeded":
			return withHint(err, fmt.Sprintf("STS is throttling %s requests and retries did not get through", op), "wait a minute and try again")
		}
		return withHint(err, fmt.Sprintf("STS %s failed: %s: %s", op, api.ErrorCode(), msg), "check the profile's keys and mfa_serial")
	}
	var uerr *url.Error
	errors.As(err, &uerr)
	endpoint := p.Endpoint
	if endpoint == "" {
		endpoint = "https://sts." + firstNonEmpty(p.Region, "us-east-1") + ".amazonaws.com"
	}
	var nerr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &nerr) && nerr.Timeout()) {
		return withHint(err, fmt.Sprintf("no answer from %s within %s", endpoint, CallTimeout), "check your network, or AWS_ENDPOINT_URL_STS if you set one")
	}
	if uerr != nil {
		return withHint(err, fmt.Sprintf("cannot reach %s: %v", endpoint, uerr.Err), "check your network, or AWS_ENDPOINT_URL_STS / endpoint_url if you set one")
	}
	return withHint(err, fmt.Sprintf("STS %s failed: %v", op, err), "check your network and the profile's settings")
}
