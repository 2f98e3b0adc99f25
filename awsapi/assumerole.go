package awsapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/profile"
)

// RoleRequest is one sts:AssumeRole call's parameters.
type RoleRequest struct {
	RoleARN, SessionName, ExternalID string
	Duration                         time.Duration // 0: AWS's default (1 h)
}

// AssumeRole calls sts:AssumeRole signed with caller (an MFA session's
// credentials, or the previous role's in a chain; no token code is sent:
// the caller's MFA context carries over). p gives the endpoint settings
// and names the source profile in errors. It returns the role session and
// the assumed-role ARN.
func (cl Client) AssumeRole(ctx context.Context, p *profile.Profile, caller Credentials, r RoleRequest) (*Credentials, string, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	c, err := newQueryClient(p, "sts", stsVersion, aws.Credentials{AccessKeyID: caller.AccessKeyID, SecretAccessKey: caller.SecretAccessKey, SessionToken: caller.SessionToken}, cl.attempt())
	if err != nil {
		return nil, "", err
	}
	params := url.Values{"RoleArn": {r.RoleARN}, "RoleSessionName": {r.SessionName}}
	if r.ExternalID != "" {
		params.Set("ExternalId", r.ExternalID)
	}
	if r.Duration > 0 {
		params.Set("DurationSeconds", strconv.Itoa(int(r.Duration/time.Second)))
	}
	var out struct {
		Arn             string    `xml:"AssumeRoleResult>AssumedRoleUser>Arn"`
		AccessKeyID     string    `xml:"AssumeRoleResult>Credentials>AccessKeyId"`
		SecretAccessKey string    `xml:"AssumeRoleResult>Credentials>SecretAccessKey"`
		SessionToken    string    `xml:"AssumeRoleResult>Credentials>SessionToken"`
		Expiration      time.Time `xml:"AssumeRoleResult>Credentials>Expiration"`
	}
	if err := c.call(ctx, "AssumeRole", params, &out); err != nil {
		var api *APIError
		if errors.As(err, &api) && api.Code == "AccessDenied" {
			return nil, "", hint.New(err, fmt.Sprintf("AWS refused to let profile %q's user assume role %s", p.Name, r.RoleARN),
				"the role's trust policy does not allow this user, or it requires MFA and the caller had none (AWS's answer cannot tell which; it also says this for a role that does not exist): check role_arn, and ask the role's owner to trust this user with aws:MultiFactorAuthPresent")
		}
		return nil, "", cl.explain(err, p, "AssumeRole")
	}
	if out.AccessKeyID == "" || out.SecretAccessKey == "" || out.SessionToken == "" || out.Expiration.IsZero() {
		return nil, "", hint.New(nil, "STS answered AssumeRole without complete credentials", "try again; if it persists, check AWS_ENDPOINT_URL_STS points at STS")
	}
	if !out.Expiration.After(time.Now()) {
		return nil, "", hint.New(nil, fmt.Sprintf("STS answered with a role session that expires at %s, which is already past here", out.Expiration.UTC().Format(time.RFC3339)),
			"check this computer's clock (mfa-git doctor shows the offset)")
	}
	return &Credentials{
		AccessKeyID:     out.AccessKeyID,
		SecretAccessKey: out.SecretAccessKey,
		SessionToken:    out.SessionToken,
		Expiration:      out.Expiration.UTC(),
	}, out.Arn, nil
}
