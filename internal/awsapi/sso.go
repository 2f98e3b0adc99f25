package awsapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/service/signin"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/smithy-go"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// ErrSignInNeeded is wrapped by the error of a source whose sign-in (an
// IAM Identity Center or aws login token) is missing or has ended and
// cannot be refreshed: only a person can sign in again, in a browser,
// which a git helper never opens.
var ErrSignInNeeded = errors.New("sign-in needed")

// The SSO portal's, SSO OIDC's and sign-in's options for p: region,
// endpoint, HTTP client (CA bundle, proxies, per-attempt deadline) and
// retries as for STS. Their calls carry a bearer token or a DPoP proof,
// not SigV4, so no credentials are set.
func (cl Client) ssoOptions(p *profile.Profile) (sso.Options, ssooidc.Options, error) {
	hc, err := httpClient(p, cl.attempt(), cl.Trace)
	if err != nil {
		return sso.Options{}, ssooidc.Options{}, err
	}
	s := sso.Options{Region: p.SSO.Region, HTTPClient: hc, Retryer: retryer()}
	o := ssooidc.Options{Region: p.SSO.Region, HTTPClient: hc, Retryer: retryer()}
	if p.SSOEndpoint != "" {
		s.BaseEndpoint = aws.String(p.SSOEndpoint)
	}
	if p.OIDCEndpoint != "" {
		o.BaseEndpoint = aws.String(p.OIDCEndpoint)
	}
	if p.UseFIPS {
		s.EndpointOptions.UseFIPSEndpoint, o.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateEnabled, aws.FIPSEndpointStateEnabled
	}
	if p.UseDualStack {
		s.EndpointOptions.UseDualStackEndpoint, o.EndpointOptions.UseDualStackEndpoint = aws.DualStackEndpointStateEnabled, aws.DualStackEndpointStateEnabled
	}
	return s, o, nil
}

// SSOCredentials gets IAM Identity Center profile p's role credentials
// (sso:GetRoleCredentials) with the access token `aws sso login` cached
// in tokenFile, through the SDK's ssocreds provider. In the sso_session
// form its token provider refreshes an expired token with the cached
// refresh token (sso-oidc:CreateToken) and writes the file back as the
// AWS CLI does. A missing or ended token that cannot be refreshed is an
// error wrapping ErrSignInNeeded, whose hint is the one command to run.
func (cl Client) SSOCredentials(ctx context.Context, p *profile.Profile, tokenFile string) (*Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	so, oo, err := cl.ssoOptions(p)
	if err != nil {
		return nil, err
	}
	prov := ssocreds.New(sso.New(so), p.SSO.AccountID, p.SSO.RoleName, p.SSO.StartURL, func(o *ssocreds.Options) {
		o.CachedTokenFilepath = tokenFile
		if p.SSO.Session != "" {
			o.SSOTokenProvider = ssocreds.NewSSOTokenProvider(ssooidc.New(oo), tokenFile)
		}
	})
	c, err := prov.Retrieve(ctx)
	if err != nil {
		return nil, cl.explainSignIn(err, p, "SSO", tokenFile, p.SSO.LoginHint(p.Name),
			fmt.Sprintf("the IAM Identity Center sign-in of profile %q", p.Name))
	}
	return checked("sso:GetRoleCredentials", c)
}

// LoginCredentials gets `aws login` profile p's credentials from the
// token the AWS CLI cached in tokenFile, through the SDK's logincreds
// provider: while its access token lasts from the file alone, then
// refreshed with its refresh token (signin:CreateOAuth2Token), the file
// written back as the AWS CLI does. An ended sign-in is an error
// wrapping ErrSignInNeeded.
func (cl Client) LoginCredentials(ctx context.Context, p *profile.Profile, tokenFile string) (*Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	hc, err := httpClient(p, cl.attempt(), cl.Trace)
	if err != nil {
		return nil, err
	}
	o := signin.Options{Region: cmp.Or(p.Region, defaultRegion), HTTPClient: hc, Retryer: retryer()}
	if p.SigninEndpoint != "" {
		o.BaseEndpoint = aws.String(p.SigninEndpoint)
	}
	prov := logincreds.New(signin.New(o), tokenFile, func(o *logincreds.Options) { o.RestrictPermissions = true })
	c, err := prov.Retrieve(ctx)
	if err != nil {
		return nil, cl.explainSignIn(err, p, "SIGNIN", tokenFile, "run: aws login --profile "+profile.ShellQuote(p.Name),
			fmt.Sprintf("the aws login sign-in of profile %q", p.Name))
	}
	return checked("aws login", c)
}

// signInCodes are the error codes with which the SSO portal, SSO OIDC
// and sign-in refuse a token that only a new sign-in replaces.
var signInCodes = []string{"UnauthorizedException", "InvalidGrantException", "ExpiredTokenException", "InvalidClientException",
	"UnauthorizedClientException", "AccessDeniedException"}

// explainSignIn turns a provider's error into one a person can act on:
// a sign-in only they can renew (ErrSignInNeeded, with login as the
// hint), or a call that failed (explain).
func (cl Client) explainSignIn(err error, p *profile.Profile, service, tokenFile, login, what string) error {
	var invalid *ssocreds.InvalidTokenError
	var api smithy.APIError
	msg := err.Error()
	switch {
	case errors.Is(err, fs.ErrNotExist) || strings.Contains(msg, "token file not found"):
		return hint.New(ErrSignInNeeded, fmt.Sprintf("%s has no cached token (%s)", what, tokenFile), login)
	case errors.As(err, &invalid) || strings.Contains(msg, "cannot be refreshed") || strings.Contains(msg, "validate login token") ||
		strings.Contains(msg, "must contain accessToken"):
		return hint.New(ErrSignInNeeded, fmt.Sprintf("%s has ended", what), login)
	case errors.As(err, &api) && slices.Contains(signInCodes, api.ErrorCode()):
		return hint.New(ErrSignInNeeded, fmt.Sprintf("%s was refused (%s: %s)", what, api.ErrorCode(), api.ErrorMessage()), login)
	case strings.Contains(msg, "please reauthenticate"):
		// logincreds turns sign-in's AccessDeniedException for an ended
		// or changed sign-in into a sentence of its own.
		_, why, _ := strings.Cut(msg, "create oauth2 token: ")
		return hint.New(ErrSignInNeeded, fmt.Sprintf("%s was refused (%s)", what, cmp.Or(why, msg)), login)
	}
	url := service
	if service == "SSO" {
		url = cmp.Or(p.SSOEndpoint, "https://portal.sso."+p.SSO.Region+".amazonaws.com")
	} else if service == "SIGNIN" {
		url = cmp.Or(p.SigninEndpoint, "the sign-in service")
	}
	return cl.explain(err, p, service, "credentials", url)
}

// checked copies a provider's credentials, refusing incomplete ones or
// ones already expired here.
func checked(from string, c aws.Credentials) (*Credentials, error) {
	if c.AccessKeyID == "" || c.SecretAccessKey == "" || c.SessionToken == "" || c.Expires.IsZero() {
		return nil, hint.New(nil, fmt.Sprintf("%s answered without complete credentials", from), "try again; if it persists, check the endpoint settings")
	}
	if !c.Expires.After(time.Now()) {
		return nil, hint.New(nil, fmt.Sprintf("%s answered with credentials that expire at %s, which is already past here", from, c.Expires.UTC().Format(time.RFC3339)),
			"check this computer's clock (mfa-git doctor shows the offset)")
	}
	return &Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expires.UTC()}, nil
}
